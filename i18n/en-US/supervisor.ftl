# supervisor — en-US: the menu's "More" and the supervisor's view of the shift

nav-supervisor = Shift
nav-more = More

supervisor-title = Shift at a glance
supervisor-window = { $from }–{ $until }, the last { $hours } hours
supervisor-refresh = Refresh
supervisor-packs = Packs
supervisor-cases = Cases
supervisor-pallets = Pallets
supervisor-per-hour = { $what } per hour: { $hours }
supervisor-refusals = Refusals: { $count }
supervisor-refusals-none = No refusals.
supervisor-alerts = Open alerts: { $count }
supervisor-alerts-none = No open alerts.
supervisor-aside = Put aside: { $count }
supervisor-holds = On hold: { $count }
supervisor-sync = Sync backlog
supervisor-sync-queued = Waiting to be sent: { $count }
supervisor-sync-parked = Refused by the repository: { $count }
supervisor-sync-sent = Sent: { $count }
supervisor-loading = Reading the shift…
supervisor-failed = The shift could not be read: { $reason }
supervisor-more = and { $count } more
supervisor-refusal-not-recorded = This refusal could not be recorded: { $detail }
