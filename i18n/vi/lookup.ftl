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
