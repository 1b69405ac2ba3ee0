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
status-devices = Scanner: keyboard
status-latency = Last verdict: { $ms } ms
role-packer = Packer
role-supervisor = Supervisor
role-administrator = Administrator
