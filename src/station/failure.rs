//! Why a station command failed: a refusal (nothing changed) or a storage failure, and how
//! the log-in service's errors become one or the other.

use crate::auth::AuthError;
use crate::domain::{ReasonCode, Refusal};
use crate::store::StoreError;

/// Why a command failed: a refusal (nothing changed) or a storage failure.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Failure {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<AuthError> for Failure {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Store(s) => Self::Store(s),
            AuthError::BadCredentials { .. } => {
                Self::Refused(Refusal::new(ReasonCode::BadCredentials, e.to_string()))
            }
            AuthError::Locked { .. } | AuthError::Inactive { .. } => {
                Self::Refused(Refusal::new(ReasonCode::AccountLocked, e.to_string()))
            }
            AuthError::Exists { .. } => {
                Self::Refused(Refusal::new(ReasonCode::AlreadyExists, e.to_string()))
            }
            AuthError::Invalid(_) => {
                Self::Refused(Refusal::new(ReasonCode::InvalidArgument, e.to_string()))
            }
        }
    }
}
