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
status-db = Database: { $path }
status-sync-offline = Sync: offline – not configured ({ $queued } queued)
status-sync-error = Sync: repository settings unreadable ({ $queued } queued)
status-sync-failing = repository not reachable – retrying
status-sync-online = online
status-sscc-low = SSCC labels running low: { $left } left
notice-dismiss = Dismiss
