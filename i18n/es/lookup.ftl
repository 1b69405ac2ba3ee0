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
