# settings — de

settings-title = Einstellungen
settings-language = Sprache
settings-mute = Töne aus
settings-wedge-gap = Scanner: längste Pause zwischen Tasten
settings-auto-logout = Abmelden nach Inaktivität
settings-read-point = Stationskennung (SGLN)
settings-devices-later = Serielle Scanner, Kamera und Repository-Verbindung werden hier eingestellt, sobald ihre Treiber installiert sind.
users-title = Benutzer
users-create = Benutzer anlegen
