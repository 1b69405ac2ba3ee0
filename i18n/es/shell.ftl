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
status-devices = Escáner: teclado
status-latency = Último veredicto: { $ms } ms
role-packer = Empacador
role-supervisor = Supervisor
role-administrator = Administrador
