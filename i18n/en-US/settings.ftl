# settings — en-US

settings-title = Settings
settings-language = Language
settings-mute = Mute sounds
settings-wedge-gap = Scanner: longest pause between keys
settings-auto-logout = Log out after inactivity
settings-read-point = Station identity (SGLN)
settings-devices-later = Serial scanners, camera and repository connection are configured here once their drivers are installed.
users-title = Users
users-create = Create user
