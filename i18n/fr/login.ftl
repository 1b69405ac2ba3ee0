# login — fr

login-title = Connexion
login-user = Nom d'utilisateur
login-password = Mot de passe
login-submit = Se connecter
first-run-title = Bienvenue dans packbench
first-run-intro = Premier démarrage : créez l'administrateur. Un ordre de formation avec un produit de démonstration est créé pour essayer tous les flux tout de suite.
first-run-user = Nom d'utilisateur administrateur
first-run-name = Nom complet
first-run-password = Mot de passe (8 caractères ou plus)
first-run-password2 = Mot de passe à nouveau
first-run-mismatch = Les mots de passe diffèrent.
first-run-short = Le mot de passe est trop court.
first-run-submit = Créer et démarrer
