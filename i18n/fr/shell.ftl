# shell — fr

app-starting = Démarrage du poste…
nav-station = Poste
nav-lookup = Recherche
nav-settings = Paramètres
nav-users = Utilisateurs
nav-command-sheet = Codes-barres de commande (PDF)
nav-logout = Se déconnecter
sheet-title = Codes-barres de commande packbench
status-db-ok = Base de données : locale, OK
status-sync = Synchro : { $queued } en attente · { $sent } envoyés · { $failed } en échec
status-latency = Dernier verdict : { $ms } ms
role-packer = Emballeur
role-supervisor = Superviseur
role-administrator = Administrateur
role-qa = Assurance qualité
status-db = Base de données : { $path }
status-sync-offline = Synchro : hors ligne – non configurée ({ $queued } en attente)
status-sync-error = Synchro : réglages du référentiel illisibles ({ $queued } en attente)
status-sync-failing = référentiel injoignable – nouvelle tentative
status-sync-online = en ligne
status-sync-parked = { $count } refusées par le référentiel
parked-title = Refusées par le référentiel
parked-help = Le référentiel a refusé ces commandes ; rien de postérieur touchant les mêmes unités n'est envoyé. Reprenez la hiérarchie (mode réception) pour voir l'état du référentiel, puis demandez à un administrateur de les renvoyer (packbench sync retry-parked).
status-sscc-low = Étiquettes SSCC bientôt épuisées : { $left } restantes
notice-dismiss = Fermer
