//! One module per route.

mod account;
mod login;
mod not_found;
mod overview;
mod users;

pub use account::AccountPage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use overview::OverviewPage;
pub use users::UsersPage;
