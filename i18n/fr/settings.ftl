# settings — fr

settings-title = Paramètres
settings-language = Langue
settings-mute = Couper le son
settings-wedge-gap = Scanner : pause maximale entre touches
settings-auto-logout = Déconnexion après inactivité
settings-read-point = Identité du poste (SGLN)
settings-devices-later = Scanners série, caméra et connexion au référentiel se règlent ici une fois leurs pilotes installés.
users-title = Utilisateurs
users-create = Créer l'utilisateur
