# returns — vi: quầy hàng trả lại (xác minh hàng trả lại để bán lại) và thu hồi / truy xuất

nav-returns = Hàng trả lại
nav-recall = Thu hồi & truy xuất
cmd-returns-mode = Chế độ hàng trả lại

returns-title = Quầy hàng trả lại
returns-hint = Quét hộp thuốc bị trả lại (hoặc thùng bị trả lại): dịch vụ xác minh của nhà sản xuất sẽ xác nhận có được bán lại hay không.
returns-entry = Hộp hoặc thùng bị trả lại
returns-verify = Xác minh
returns-case-summary = Đã kiểm tra { $packs } hộp, { $verified } hộp được xác minh.
returns-waiting = Đang chờ dịch vụ xác minh: { $count }
returns-retry = Thử lại ngay
returns-refresh = Làm mới
returns-save-csv = Lưu tệp hàng trả lại (CSV)…
returns-recent = Các lần kiểm tra gần đây

vrs-failure-no-match-gtin-serial = Nhà sản xuất không có hộp nào với mã sản phẩm và số sê-ri này.
vrs-failure-no-match-gtin-serial-lot = Số lô không khớp với hồ sơ của nhà sản xuất.
vrs-failure-no-match-gtin-serial-expiry = Hạn dùng không khớp với hồ sơ của nhà sản xuất.
vrs-failure-no-match-gtin-serial-lot-expiry = Số lô và hạn dùng không khớp với hồ sơ của nhà sản xuất.
vrs-failure-gtin-not-found = Không dịch vụ xác minh nào biết mã sản phẩm này.
vrs-failure-gtin-not-registered = Mã sản phẩm này chưa được đăng ký với bộ định tuyến xác minh.
vrs-failure-no-reason-provided = Dịch vụ xác minh không nêu lý do.
vrs-failure-other = Dịch vụ xác minh trả lời: { $code }

recall-title = Thu hồi và truy xuất
recall-gtin = GTIN
recall-lot = Số lô
recall-find = Tìm lô
recall-unit = Hộp, thùng hoặc pallet
recall-of-unit = Thu hồi lô của nó
trace-unit = Truy xuất
trace-heading = Truy xuất { $unit }
trace-inside = Nằm trong: { $path }
trace-save-pdf = Lưu truy xuất (PDF)…
recall-summary = Lô { $lot } của { $gtin }: { $total } đơn vị, { $stock } trong kho, { $held } bị giữ lại, { $shipped } đã gửi đi, { $retired } đã loại bỏ
recall-lot-held = Cả lô đang bị giữ lại
recall-pull = Số thùng chứa cần rút ra: { $count }
recall-hold-lot = Giữ lại cả lô…
recall-save-csv = Lưu CSV…
recall-save-pdf = Lưu PDF…
recall-col-container = Thùng chứa ngoài cùng
recall-col-units = Đơn vị
recall-col-status = Trạng thái
recall-col-last = Sự kiện cuối cùng đã biết
recall-loose = Không nằm trong thùng chứa nào
recall-in-stock = trong kho
recall-on-hold = bị giữ lại
recall-shipped = đã gửi đi
recall-retired = đã loại bỏ
