# settings — vi

settings-title = Cài đặt
settings-language = Ngôn ngữ
settings-mute = Tắt âm thanh
settings-wedge-gap = Máy quét: khoảng nghỉ tối đa giữa các phím
settings-auto-logout = Đăng xuất khi không hoạt động
settings-read-point = Định danh trạm (SGLN)
settings-devices-later = Máy quét nối tiếp, camera và kết nối kho dữ liệu được cấu hình tại đây khi có trình điều khiển.
users-title = Người dùng
users-create = Tạo người dùng
