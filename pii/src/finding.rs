//! What a scan reports: the kind of PII and where it is.

use std::fmt;
use std::sync::Arc;

/// The category of a finding. Its [`label`](Kind::label) is what redaction writes and
/// what `warden pii scan` reports as `type`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    Email,
    Phone,
    CreditCard,
    Iban,
    UsSsn,
    IpAddress,
    /// Credentials: API keys, tokens, passwords, private keys.
    Secret,
    /// A configured pattern; holds the pattern's name, already upper-cased, so that
    /// [`Kind::label`] can hand out a `&str` without allocating per finding.
    Custom(Arc<str>),
}

impl Kind {
    pub fn label(&self) -> &str {
        match self {
            Kind::Email => "EMAIL",
            Kind::Phone => "PHONE",
            Kind::CreditCard => "CREDIT_CARD",
            Kind::Iban => "IBAN",
            Kind::UsSsn => "US_SSN",
            Kind::IpAddress => "IP_ADDRESS",
            Kind::Secret => "SECRET",
            Kind::Custom(name) => name,
        }
    }

    /// Breaks ties between overlapping findings of equal length: a structure that is
    /// hard to hit by accident (a checksum, a key prefix, an operator's own pattern) says
    /// more about the text than a loose one.
    pub(crate) fn specificity(&self) -> u8 {
        match self {
            Kind::Secret => 8,
            Kind::Custom(_) => 7,
            Kind::Iban => 6,
            Kind::CreditCard => 5,
            Kind::Email => 4,
            Kind::UsSsn => 3,
            Kind::Phone => 2,
            Kind::IpAddress => 1,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One piece of PII: `text[start..end]`, byte offsets on char boundaries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Finding {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}
