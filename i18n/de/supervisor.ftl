# supervisor — de: „Mehr“ im Menü und die Schichtübersicht der Schichtleitung

nav-supervisor = Schicht
nav-more = Mehr

supervisor-title = Die Schicht auf einen Blick
supervisor-window = { $from }–{ $until }, die letzten { $hours } Stunden
supervisor-refresh = Aktualisieren
supervisor-packs = Packungen
supervisor-cases = Kartons
supervisor-pallets = Paletten
supervisor-per-hour = { $what } pro Stunde: { $hours }
supervisor-refusals = Abweisungen: { $count }
supervisor-refusals-none = Keine Abweisungen.
supervisor-alerts = Offene Alarme: { $count }
supervisor-alerts-none = Keine offenen Alarme.
supervisor-aside = Zurückgestellt: { $count }
supervisor-holds = Gesperrt: { $count }
supervisor-sync = Sync-Rückstand
supervisor-sync-queued = Wartet auf Versand: { $count }
supervisor-sync-parked = Vom Repository abgelehnt: { $count }
supervisor-sync-sent = Gesendet: { $count }
supervisor-loading = Schicht wird gelesen …
supervisor-failed = Die Schicht konnte nicht gelesen werden: { $reason }
supervisor-more = und { $count } weitere
supervisor-refusal-not-recorded = Diese Abweisung konnte nicht aufgezeichnet werden: { $detail }
