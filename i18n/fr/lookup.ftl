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
history-pack = Emballé
history-pack-batch = Emballé (couche caméra)
history-open-container = Contenant ouvert
history-close = Contenant fermé
history-remove = Retiré
history-move = Déplacé
history-unpack = Vidé
history-replace = Remplacé
history-relabel = Réétiqueté
history-undo = Annulé
history-print-label = Étiquette imprimée
history-reprint-label = Étiquette réimprimée
history-verify-label = Étiquette vérifiée
history-void-label = Étiquette annulée
history-verify-contents = Contenu contrôlé
