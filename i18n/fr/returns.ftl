# returns — fr : poste des retours (vérification des retours vendables) et rappel / traçabilité

nav-returns = Retours
nav-recall = Rappel et traçabilité
cmd-returns-mode = Mode retours

returns-title = Poste des retours
returns-hint = Scannez une boîte retournée (ou un carton retourné) : le service de vérification du fabricant confirme qu'elle peut être revendue.
returns-entry = Boîte ou carton retourné
returns-verify = Vérifier
returns-case-summary = { $packs } boîtes contrôlées, { $verified } vérifiées.
returns-waiting = En attente du service de vérification : { $count }
returns-retry = Réessayer maintenant
returns-refresh = Actualiser
returns-save-csv = Enregistrer le fichier des retours (CSV)…
returns-recent = Contrôles récents

vrs-failure-no-match-gtin-serial = Le fabricant n'a aucune boîte avec ce code produit et ce numéro de série.
vrs-failure-no-match-gtin-serial-lot = Le lot ne correspond pas à l'enregistrement du fabricant.
vrs-failure-no-match-gtin-serial-expiry = La date de péremption ne correspond pas à l'enregistrement du fabricant.
vrs-failure-no-match-gtin-serial-lot-expiry = Le lot et la date de péremption ne correspondent pas à l'enregistrement du fabricant.
vrs-failure-gtin-not-found = Aucun service de vérification ne connaît ce code produit.
vrs-failure-gtin-not-registered = Ce code produit n'est pas enregistré auprès du routeur de vérification.
vrs-failure-no-reason-provided = Le service de vérification n'a donné aucune raison.
vrs-failure-other = Le service de vérification a répondu : { $code }

recall-title = Rappel et traçabilité
recall-gtin = GTIN
recall-lot = Lot
recall-find = Chercher le lot
recall-unit = Boîte, carton ou palette
recall-of-unit = Rappeler son lot
trace-unit = Tracer
trace-heading = Traçabilité de { $unit }
trace-inside = Contenu dans : { $path }
trace-save-pdf = Enregistrer la traçabilité (PDF)…
recall-summary = Lot { $lot } de { $gtin } : { $total } unités, { $stock } en stock, { $held } bloquées, { $shipped } expédiées, { $retired } retirées
recall-lot-held = Lot entier bloqué
recall-pull = Contenants à retirer : { $count }
recall-hold-lot = Bloquer le lot entier…
recall-save-csv = Enregistrer en CSV…
recall-save-pdf = Enregistrer en PDF…
recall-col-container = Contenant principal
recall-col-units = Unités
recall-col-status = État
recall-col-last = Dernier événement connu
recall-loose = Dans aucun contenant
recall-in-stock = en stock
recall-on-hold = bloquées
recall-shipped = expédiées
recall-retired = retirées
