# returns — de: Retourenplatz (Verifizierung von Retouren) und Rückruf / Rückverfolgung

nav-returns = Retouren
nav-recall = Rückruf & Verfolgung
cmd-returns-mode = Retourenmodus

returns-title = Retourenplatz
returns-hint = Scannen Sie eine zurückgegebene Packung (oder einen zurückgegebenen Karton): Der Verifizierungsdienst des Herstellers bestätigt, ob sie wieder verkauft werden darf.
returns-entry = Zurückgegebene Packung oder Karton
returns-verify = Prüfen
returns-case-summary = { $packs } Packungen geprüft, { $verified } verifiziert.
returns-waiting = Wartet auf den Verifizierungsdienst: { $count }
returns-retry = Jetzt erneut versuchen
returns-refresh = Aktualisieren
returns-save-csv = Retourendatei speichern (CSV)…
returns-recent = Letzte Prüfungen

vrs-failure-no-match-gtin-serial = Der Hersteller hat keine Packung mit diesem Produktcode und dieser Seriennummer.
vrs-failure-no-match-gtin-serial-lot = Die Charge stimmt nicht mit den Daten des Herstellers überein.
vrs-failure-no-match-gtin-serial-expiry = Das Verfalldatum stimmt nicht mit den Daten des Herstellers überein.
vrs-failure-no-match-gtin-serial-lot-expiry = Charge und Verfalldatum stimmen nicht mit den Daten des Herstellers überein.
vrs-failure-gtin-not-found = Kein Verifizierungsdienst kennt diesen Produktcode.
vrs-failure-gtin-not-registered = Dieser Produktcode ist beim Verifizierungs-Router nicht registriert.
vrs-failure-no-reason-provided = Der Verifizierungsdienst hat keinen Grund angegeben.
vrs-failure-other = Der Verifizierungsdienst antwortete: { $code }

recall-title = Rückruf und Rückverfolgung
recall-gtin = GTIN
recall-lot = Charge
recall-find = Charge suchen
recall-unit = Packung, Karton oder Palette
recall-of-unit = Ihre Charge zurückrufen
trace-unit = Rückverfolgen
trace-heading = Rückverfolgung von { $unit }
trace-inside = Enthalten in: { $path }
trace-save-pdf = Rückverfolgung speichern (PDF)…
recall-summary = Charge { $lot } von { $gtin }: { $total } Einheiten, { $stock } im Lager, { $held } gesperrt, { $shipped } versandt, { $retired } ausgesondert
recall-lot-held = Ganze Charge gesperrt
recall-pull = Zu entnehmende Behälter: { $count }
recall-hold-lot = Ganze Charge sperren…
recall-save-csv = CSV speichern…
recall-save-pdf = PDF speichern…
recall-col-container = Oberster Behälter
recall-col-units = Einheiten
recall-col-status = Status
recall-col-last = Letztes bekanntes Ereignis
recall-loose = In keinem Behälter
recall-in-stock = im Lager
recall-on-hold = gesperrt
recall-shipped = versandt
recall-retired = ausgesondert
