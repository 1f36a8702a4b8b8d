//! Hydrates the server-rendered page in the browser; nothing else belongs here.
#![forbid(unsafe_code)]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(warden_app::App);
}
