# lookup — zh-CN

lookup-title = 查询
lookup-hint = 在查询模式下扫描任意条码即可在此查看。
lookup-unit = 单元
lookup-status = 状态
lookup-parents = 上级
lookup-children = 下级
lookup-history = 历史
lookup-show-tree = 在层级中显示
lookup-export-manifest = 导出清单…
history-pack = 装入
history-pack-batch = 装入（相机整层）
history-open-container = 容器已打开
history-close = 容器已关闭
history-remove = 已取出
history-move = 已移动
history-unpack = 已拆空
history-replace = 已更换
history-relabel = 已重新贴标
history-undo = 已撤销
history-print-label = 标签已打印
history-reprint-label = 标签已重新打印
history-verify-label = 标签已核对
history-void-label = 标签已作废
history-verify-contents = 已核对内容
