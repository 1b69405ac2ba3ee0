# shell — vi

app-starting = Đang khởi động trạm…
nav-station = Trạm
nav-lookup = Tra cứu
nav-settings = Cài đặt
nav-users = Người dùng
nav-command-sheet = Mã vạch lệnh (PDF)
nav-logout = Đăng xuất
sheet-title = Mã vạch lệnh packbench
status-db-ok = Cơ sở dữ liệu: cục bộ, tốt
status-sync = Đồng bộ: { $queued } chờ · { $sent } đã gửi · { $failed } lỗi
status-latency = Kết quả gần nhất: { $ms } ms
role-packer = Người đóng gói
role-supervisor = Giám sát viên
role-administrator = Quản trị viên
role-qa = Đảm bảo chất lượng
status-db = Cơ sở dữ liệu: { $path }
status-sync-offline = Đồng bộ: ngoại tuyến – chưa cấu hình ({ $queued } đang chờ)
status-sync-error = Đồng bộ: không đọc được cài đặt kho ({ $queued } đang chờ)
status-sync-failing = không kết nối được kho – đang thử lại
status-sync-online = trực tuyến
status-sync-parked = { $count } bị kho dữ liệu từ chối
parked-title = Bị kho dữ liệu từ chối
parked-help = Kho dữ liệu đã từ chối các lệnh này; không lệnh nào sau đó liên quan đến cùng đơn vị được gửi. Hãy nhận lại cấu trúc (chế độ tiếp nhận) để xem trạng thái của kho dữ liệu, rồi nhờ quản trị viên gửi lại (packbench sync retry-parked).
status-sscc-low = Sắp hết nhãn SSCC: còn { $left }
notice-dismiss = Đóng
