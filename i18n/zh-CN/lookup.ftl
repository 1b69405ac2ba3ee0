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
