# lookup — vi

lookup-title = Tra cứu
lookup-hint = Quét bất kỳ mã nào ở chế độ tra cứu để xem tại đây.
lookup-unit = Đơn vị
lookup-status = Trạng thái
lookup-parents = Cấp trên
lookup-children = Cấp dưới
lookup-history = Lịch sử
lookup-show-tree = Xem trong cây
lookup-export-manifest = Xuất bảng kê…
history-pack = Đóng gói
history-pack-batch = Đóng gói (lớp camera)
history-open-container = Mở thùng
history-close = Đóng thùng
history-remove = Lấy ra
history-move = Di chuyển
history-unpack = Dỡ thùng
history-replace = Thay thế
history-relabel = Dán nhãn mới
history-undo = Hoàn tác
history-print-label = In nhãn
history-reprint-label = In lại nhãn
history-verify-label = Xác minh nhãn
history-void-label = Hủy nhãn
history-verify-contents = Đã kiểm tra nội dung
