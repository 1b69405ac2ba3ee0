# returns — es: puesto de devoluciones (verificación de devoluciones vendibles) y retirada / trazabilidad

nav-returns = Devoluciones
nav-recall = Retirada y trazabilidad
cmd-returns-mode = Modo devoluciones

returns-title = Puesto de devoluciones
returns-hint = Escanee un envase devuelto (o una caja devuelta): el servicio de verificación del fabricante confirma si puede revenderse.
returns-entry = Envase o caja devuelta
returns-verify = Verificar
returns-case-summary = { $packs } envases comprobados, { $verified } verificados.
returns-waiting = En espera del servicio de verificación: { $count }
returns-retry = Reintentar ahora
returns-refresh = Actualizar
returns-save-csv = Guardar archivo de devoluciones (CSV)…
returns-recent = Comprobaciones recientes

vrs-failure-no-match-gtin-serial = El fabricante no tiene ningún envase con este código de producto y número de serie.
vrs-failure-no-match-gtin-serial-lot = El lote no coincide con el registro del fabricante.
vrs-failure-no-match-gtin-serial-expiry = La fecha de caducidad no coincide con el registro del fabricante.
vrs-failure-no-match-gtin-serial-lot-expiry = El lote y la fecha de caducidad no coinciden con el registro del fabricante.
vrs-failure-gtin-not-found = Ningún servicio de verificación conoce este código de producto.
vrs-failure-gtin-not-registered = Este código de producto no está registrado en el enrutador de verificación.
vrs-failure-no-reason-provided = El servicio de verificación no dio ningún motivo.
vrs-failure-other = El servicio de verificación respondió: { $code }

recall-title = Retirada y trazabilidad
recall-gtin = GTIN
recall-lot = Lote
recall-find = Buscar el lote
recall-unit = Envase, caja o palé
recall-of-unit = Retirar su lote
trace-unit = Trazar
trace-heading = Trazabilidad de { $unit }
trace-inside = Dentro de: { $path }
trace-save-pdf = Guardar trazabilidad (PDF)…
recall-summary = Lote { $lot } de { $gtin }: { $total } unidades, { $stock } en existencias, { $held } retenidas, { $shipped } enviadas, { $retired } retiradas de uso
recall-lot-held = Lote completo retenido
recall-pull = Contenedores a retirar: { $count }
recall-hold-lot = Retener el lote completo…
recall-save-csv = Guardar CSV…
recall-save-pdf = Guardar PDF…
recall-col-container = Contenedor superior
recall-col-units = Unidades
recall-col-status = Estado
recall-col-last = Último evento conocido
recall-loose = En ningún contenedor
recall-in-stock = en existencias
recall-on-hold = retenidas
recall-shipped = enviadas
recall-retired = retiradas de uso
