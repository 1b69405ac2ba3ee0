//! Users, roles, password hashing, electronic signatures and the hash-chained audit trail.
