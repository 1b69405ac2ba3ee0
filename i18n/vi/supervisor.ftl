# supervisor — vi: mục "Thêm" của menu và màn hình ca làm việc cho giám sát viên

nav-supervisor = Ca làm việc
nav-more = Thêm

supervisor-title = Tổng quan ca làm việc
supervisor-window = { $from }–{ $until }, { $hours } giờ gần nhất
supervisor-refresh = Làm mới
supervisor-packs = Hộp
supervisor-cases = Thùng
supervisor-pallets = Pallet
supervisor-per-hour = { $what } mỗi giờ: { $hours }
supervisor-refusals = Lần từ chối: { $count }
supervisor-refusals-none = Không có lần từ chối nào.
supervisor-alerts = Cảnh báo chưa xử lý: { $count }
supervisor-alerts-none = Không có cảnh báo nào chưa xử lý.
supervisor-aside = Đang để riêng: { $count }
supervisor-holds = Đang giữ lại: { $count }
supervisor-sync = Tồn đọng đồng bộ
supervisor-sync-queued = Đang chờ gửi: { $count }
supervisor-sync-parked = Bị kho dữ liệu từ chối: { $count }
supervisor-sync-sent = Đã gửi: { $count }
supervisor-loading = Đang đọc dữ liệu ca…
supervisor-failed = Không đọc được dữ liệu ca: { $reason }
supervisor-more = và { $count } mục khác
supervisor-refusal-not-recorded = Không ghi lại được lần từ chối này: { $detail }
