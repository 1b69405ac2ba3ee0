# supervisor — zh-CN：菜单的“更多”和主管的班次概览

nav-supervisor = 班次
nav-more = 更多

supervisor-title = 班次概览
supervisor-window = { $from }–{ $until }，最近 { $hours } 小时
supervisor-refresh = 刷新
supervisor-packs = 包
supervisor-cases = 箱
supervisor-pallets = 托盘
supervisor-per-hour = 每小时{ $what }：{ $hours }
supervisor-refusals = 拒绝：{ $count } 次
supervisor-refusals-none = 没有拒绝。
supervisor-alerts = 未处理警报：{ $count }
supervisor-alerts-none = 没有未处理的警报。
supervisor-aside = 已搁置：{ $count }
supervisor-holds = 已冻结：{ $count }
supervisor-sync = 同步积压
supervisor-sync-queued = 等待发送：{ $count }
supervisor-sync-parked = 被存储库拒绝：{ $count }
supervisor-sync-sent = 已发送：{ $count }
supervisor-loading = 正在读取班次…
supervisor-failed = 无法读取班次：{ $reason }
supervisor-more = 另有 { $count } 项
supervisor-refusal-not-recorded = 无法记录此次拒绝：{ $detail }
