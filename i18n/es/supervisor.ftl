# supervisor — es: «Más» del menú y la vista del turno para el supervisor

nav-supervisor = Turno
nav-more = Más

supervisor-title = El turno de un vistazo
supervisor-window = { $from }–{ $until }, las últimas { $hours } horas
supervisor-refresh = Actualizar
supervisor-packs = Envases
supervisor-cases = Cajas
supervisor-pallets = Palés
supervisor-per-hour = { $what } por hora: { $hours }
supervisor-refusals = Rechazos: { $count }
supervisor-refusals-none = Ningún rechazo.
supervisor-alerts = Alertas abiertas: { $count }
supervisor-alerts-none = Ninguna alerta abierta.
supervisor-aside = Apartados: { $count }
supervisor-holds = Retenidos: { $count }
supervisor-sync = Pendiente de sincronizar
supervisor-sync-queued = En espera de envío: { $count }
supervisor-sync-parked = Rechazados por el repositorio: { $count }
supervisor-sync-sent = Enviados: { $count }
supervisor-loading = Leyendo el turno…
supervisor-failed = No se pudo leer el turno: { $reason }
supervisor-more = y { $count } más
supervisor-refusal-not-recorded = Este rechazo no se pudo registrar: { $detail }
