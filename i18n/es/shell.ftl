# shell — es

app-starting = Iniciando la estación…
nav-station = Estación
nav-lookup = Consulta
nav-settings = Ajustes
nav-users = Usuarios
nav-command-sheet = Códigos de barras de comandos (PDF)
nav-logout = Cerrar sesión
sheet-title = Códigos de barras de comandos packbench
status-db-ok = Base de datos: local, OK
status-sync = Sincronización: { $queued } en cola · { $sent } enviados · { $failed } fallidos
status-latency = Último veredicto: { $ms } ms
role-packer = Empacador
role-supervisor = Supervisor
role-administrator = Administrador
role-qa = Garantía de calidad
status-db = Base de datos: { $path }
status-sync-offline = Sincronización: sin conexión – no configurada ({ $queued } en cola)
status-sync-error = Sincronización: ajustes del repositorio ilegibles ({ $queued } en cola)
status-sync-failing = repositorio inaccesible – reintentando
status-sync-online = en línea
status-sync-parked = { $count } rechazados por el repositorio
parked-title = Rechazados por el repositorio
parked-help = El repositorio rechazó estas órdenes; no se envía nada posterior que afecte a las mismas unidades. Vuelva a incorporar la jerarquía (modo recepción) para ver el estado del repositorio y pida a un administrador que las reintente (packbench sync retry-parked).
status-sscc-low = Quedan pocas etiquetas SSCC: { $left }
notice-dismiss = Cerrar
