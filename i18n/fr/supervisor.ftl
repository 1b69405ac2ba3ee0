# supervisor — fr : « Plus » du menu et la vue de l'équipe pour le superviseur

nav-supervisor = Équipe
nav-more = Plus

supervisor-title = L'équipe en un coup d'œil
supervisor-window = { $from }–{ $until }, les { $hours } dernières heures
supervisor-refresh = Actualiser
supervisor-packs = Boîtes
supervisor-cases = Cartons
supervisor-pallets = Palettes
supervisor-per-hour = { $what } par heure : { $hours }
supervisor-refusals = Refus : { $count }
supervisor-refusals-none = Aucun refus.
supervisor-alerts = Alertes ouvertes : { $count }
supervisor-alerts-none = Aucune alerte ouverte.
supervisor-aside = Mis de côté : { $count }
supervisor-holds = Bloqués : { $count }
supervisor-sync = Synchro en attente
supervisor-sync-queued = En attente d'envoi : { $count }
supervisor-sync-parked = Refusés par le référentiel : { $count }
supervisor-sync-sent = Envoyés : { $count }
supervisor-loading = Lecture de l'équipe…
supervisor-failed = Impossible de lire l'équipe : { $reason }
supervisor-more = et { $count } de plus
supervisor-refusal-not-recorded = Ce refus n'a pas pu être enregistré : { $detail }
