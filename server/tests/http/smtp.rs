//! A real SMTP server on loopback for the paging tests: aiosmtpd (from PyPI, in the venv
//! `scripts/setup-test.sh` makes) writing every mail it accepts to a Maildir read here.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SmtpSink {
    pub port: u16,
    maildir: tempfile::TempDir,
    child: Child,
}

/// One delivered mail, parsed.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The MIME types of the parts, in order.
    pub parts: Vec<String>,
}

impl Delivered {
    /// The acknowledge link's token.
    pub fn ack_token(&self) -> String {
        let at = self.text.find("/ack/").expect("an acknowledge link") + 5;
        self.text[at..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    }
}

fn python() -> PathBuf {
    if let Some(path) = std::env::var_os("WARDEN_TEST_SMTP_PYTHON") {
        return path.into();
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/smtp/.venv/bin/python");
    assert!(
        venv.exists(),
        "the paging tests need aiosmtpd: run scripts/setup-test.sh (or set \
         WARDEN_TEST_SMTP_PYTHON to a python that imports aiosmtpd)"
    );
    venv
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        SmtpSink::start_on(port).await
    }

    /// A server on `port` (another one back where a stopped one was).
    pub async fn start_on(port: u16) -> SmtpSink {
        let maildir = tempfile::tempdir().unwrap();
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            // A path that does not exist yet: aiosmtpd makes the Maildir's folders there.
            .arg(maildir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting aiosmtpd");
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        SmtpSink {
            port,
            maildir,
            child,
        }
    }

    /// Every mail delivered so far.
    pub fn inbox(&self) -> Vec<Delivered> {
        let mut found = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.maildir.path().join("mail").join(sub)) else {
                continue;
            };
            for entry in entries.flatten() {
                let raw = std::fs::read(entry.path()).unwrap();
                found.push(parse(&raw));
            }
        }
        found
    }

    /// Waits until `count` mails have come for `to`, and returns them.
    pub async fn wait_for(&self, to: &str, count: usize) -> Vec<Delivered> {
        let started = Instant::now();
        loop {
            let mails: Vec<Delivered> = self.inbox().into_iter().filter(|m| m.to == to).collect();
            if mails.len() >= count {
                return mails;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "{count} mail(s) for {to} did not come; inbox: {:?}",
                self.inbox()
                    .iter()
                    .map(|m| (&m.to, &m.subject))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops the server (and with it every delivery) until [`SmtpSink::start`] again.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

fn parse(raw: &[u8]) -> Delivered {
    let mail = mailparse::parse_mail(raw).unwrap();
    let header = |name: &str| {
        use mailparse::MailHeaderMap;
        mail.headers.get_first_value(name).unwrap_or_default()
    };
    let mut text = String::new();
    let mut html = String::new();
    let mut parts = Vec::new();
    for part in mail.subparts.iter().flat_map(|p| {
        if p.subparts.is_empty() {
            vec![p]
        } else {
            p.subparts.iter().collect()
        }
    }) {
        let kind = part.ctype.mimetype.clone();
        match kind.as_str() {
            "text/plain" => text = part.get_body().unwrap(),
            "text/html" => html = part.get_body().unwrap(),
            _ => {}
        }
        parts.push(kind);
    }
    Delivered {
        to: header("To"),
        subject: header("Subject"),
        text,
        html,
        parts,
    }
}
