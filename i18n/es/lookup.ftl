# lookup — es

lookup-title = Consulta
lookup-hint = Escanee cualquier cosa en modo consulta para verla aquí.
lookup-unit = Unidad
lookup-status = Estado
lookup-parents = Padres
lookup-children = Hijos
lookup-history = Historial
lookup-show-tree = Ver en el árbol
lookup-export-manifest = Exportar manifiesto…
history-pack = Empaquetado
history-pack-batch = Empaquetado (capa de cámara)
history-open-container = Contenedor abierto
history-close = Contenedor cerrado
history-remove = Retirado
history-move = Movido
history-unpack = Vaciado
history-replace = Sustituido
history-relabel = Reetiquetado
history-undo = Deshecho
history-print-label = Etiqueta impresa
history-reprint-label = Etiqueta reimpresa
history-verify-label = Etiqueta verificada
history-void-label = Etiqueta anulada
history-verify-contents = Contenido verificado
