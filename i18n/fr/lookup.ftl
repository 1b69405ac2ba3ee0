# lookup — fr

lookup-title = Recherche
lookup-hint = Scannez n'importe quoi en mode recherche pour l'afficher ici.
lookup-unit = Unité
lookup-status = Statut
lookup-parents = Parents
lookup-children = Enfants
lookup-history = Historique
lookup-show-tree = Voir dans l'arborescence
lookup-export-manifest = Exporter le manifeste…
