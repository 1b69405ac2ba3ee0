//! SQLite persistence: schema, migrations and queries. One transaction per station command.
