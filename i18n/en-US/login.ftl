# login — en-US

login-title = Log in
login-user = User name
login-password = Password
login-submit = Log in
first-run-title = Welcome to packbench
first-run-intro = First start: create the administrator. A training work order with a demo product is set up so you can try every flow at once.
first-run-user = Administrator user name
first-run-name = Printed name
first-run-password = Password (8 characters or more)
first-run-password2 = Password again
first-run-mismatch = The passwords differ.
first-run-short = The password is too short.
first-run-submit = Create and start
