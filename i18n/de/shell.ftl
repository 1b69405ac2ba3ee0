# shell — de

app-starting = Station wird gestartet…
nav-station = Station
nav-lookup = Abfrage
nav-settings = Einstellungen
nav-users = Benutzer
nav-command-sheet = Befehls-Barcodes (PDF)
nav-logout = Abmelden
sheet-title = packbench Befehls-Barcodes
status-db-ok = Datenbank: lokal, OK
status-sync = Sync: { $queued } wartend · { $sent } gesendet · { $failed } fehlgeschlagen
status-latency = Letztes Ergebnis: { $ms } ms
role-packer = Packer
role-supervisor = Supervisor
role-administrator = Administrator
role-qa = Qualitätssicherung
status-db = Datenbank: { $path }
status-sync-offline = Sync: offline – nicht eingerichtet ({ $queued } in der Warteschlange)
status-sync-error = Sync: Repository-Einstellungen unlesbar ({ $queued } in der Warteschlange)
status-sync-failing = Repository nicht erreichbar – neuer Versuch folgt
status-sync-online = online
status-sync-parked = { $count } vom Repository abgelehnt
parked-title = Vom Repository abgelehnt
parked-help = Das Repository hat diese Befehle abgelehnt; nichts danach, das dieselben Einheiten betrifft, wird gesendet. Übernehmen Sie die Hierarchie erneut (Übernahmemodus), um den Stand des Repositorys zu sehen, und bitten Sie dann einen Administrator, sie erneut zu senden (packbench sync retry-parked).
status-sscc-low = SSCC-Etiketten werden knapp: noch { $left }
notice-dismiss = Schließen
