# login — es

login-title = Iniciar sesión
login-user = Usuario
login-password = Contraseña
login-submit = Entrar
first-run-title = Bienvenido a packbench
first-run-intro = Primer inicio: cree el administrador. Se prepara una orden de formación con un producto de demostración para probar todos los flujos enseguida.
first-run-user = Usuario administrador
first-run-name = Nombre completo
first-run-password = Contraseña (8 caracteres o más)
first-run-password2 = Repita la contraseña
first-run-mismatch = Las contraseñas no coinciden.
first-run-short = La contraseña es demasiado corta.
first-run-submit = Crear e iniciar
