# login — vi

login-title = Đăng nhập
login-user = Tên đăng nhập
login-password = Mật khẩu
login-submit = Đăng nhập
first-run-title = Chào mừng đến với packbench
first-run-intro = Lần chạy đầu: tạo quản trị viên. Một lệnh sản xuất đào tạo với sản phẩm mẫu sẽ được tạo để bạn thử mọi quy trình ngay.
first-run-user = Tên đăng nhập quản trị
first-run-name = Họ tên
first-run-password = Mật khẩu (từ 8 ký tự)
first-run-password2 = Nhập lại mật khẩu
first-run-mismatch = Hai mật khẩu không khớp.
first-run-short = Mật khẩu quá ngắn.
first-run-submit = Tạo và bắt đầu
