# lookup — de

lookup-title = Abfrage
lookup-hint = Im Abfragemodus etwas scannen, um es hier zu sehen.
lookup-unit = Einheit
lookup-status = Status
lookup-parents = Übergeordnet
lookup-children = Untergeordnet
lookup-history = Verlauf
lookup-show-tree = Im Baum zeigen
lookup-export-manifest = Packliste exportieren…
history-pack = Verpackt
history-pack-batch = Verpackt (Kameralage)
history-open-container = Behälter geöffnet
history-close = Behälter geschlossen
history-remove = Entnommen
history-move = Umgelagert
history-unpack = Geleert
history-replace = Ersetzt
history-relabel = Neu etikettiert
history-undo = Rückgängig gemacht
history-print-label = Etikett gedruckt
history-reprint-label = Etikett nachgedruckt
history-verify-label = Etikett geprüft
history-void-label = Etikett ungültig gemacht
history-verify-contents = Inhalt geprüft
