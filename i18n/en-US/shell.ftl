# shell — en-US

app-starting = Starting the station…
nav-station = Station
nav-lookup = Look-up
nav-settings = Settings
nav-users = Users
nav-command-sheet = Command barcodes (PDF)
nav-logout = Log out
sheet-title = packbench command barcodes
status-db-ok = Database: local, OK
status-sync = Sync: { $queued } queued · { $sent } sent · { $failed } failed
status-latency = Last verdict: { $ms } ms
role-packer = Packer
role-supervisor = Supervisor
role-administrator = Administrator
role-qa = Quality assurance
status-db = Database: { $path }
status-sync-offline = Sync: offline – not configured ({ $queued } queued)
status-sync-error = Sync: repository settings unreadable ({ $queued } queued)
status-sync-failing = repository not reachable – retrying
status-sync-online = online
status-sync-parked = { $count } refused by the repository
parked-title = Refused by the repository
parked-help = The repository refused these commands; nothing after them that touches the same units is sent. Take the hierarchy in again (receive mode) to see the repository's state, then ask an administrator to retry them (packbench sync retry-parked).
status-sscc-low = SSCC labels running low: { $left } left
notice-dismiss = Dismiss
