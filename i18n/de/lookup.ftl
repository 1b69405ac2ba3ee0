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
