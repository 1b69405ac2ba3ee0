# login — de

login-title = Anmelden
login-user = Benutzername
login-password = Passwort
login-submit = Anmelden
first-run-title = Willkommen bei packbench
first-run-intro = Erster Start: Administrator anlegen. Ein Schulungsauftrag mit einem Demo-Produkt wird eingerichtet, damit Sie alle Abläufe sofort ausprobieren können.
first-run-user = Administrator-Benutzername
first-run-name = Name in Druckschrift
first-run-password = Passwort (mindestens 8 Zeichen)
first-run-password2 = Passwort wiederholen
first-run-mismatch = Die Passwörter stimmen nicht überein.
first-run-short = Das Passwort ist zu kurz.
first-run-submit = Anlegen und starten
