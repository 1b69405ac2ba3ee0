# settings — es

settings-title = Ajustes
settings-language = Idioma
settings-mute = Silenciar sonidos
settings-wedge-gap = Escáner: pausa máxima entre teclas
settings-auto-logout = Cerrar sesión tras inactividad
settings-read-point = Identidad de la estación (SGLN)
settings-devices-later = Los escáneres serie, la cámara y la conexión al repositorio se configuran aquí cuando estén sus controladores.
users-title = Usuarios
users-create = Crear usuario
