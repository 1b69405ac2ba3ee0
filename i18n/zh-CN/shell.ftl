# shell — zh-CN

app-starting = 正在启动工作站…
nav-station = 工作站
nav-lookup = 查询
nav-settings = 设置
nav-users = 用户
nav-command-sheet = 命令条码 (PDF)
nav-logout = 退出登录
sheet-title = packbench 命令条码
status-db-ok = 数据库：本地，正常
status-sync = 同步：{ $queued } 排队 · { $sent } 已发送 · { $failed } 失败
status-latency = 上次结果：{ $ms } 毫秒
role-packer = 包装员
role-supervisor = 主管
role-administrator = 管理员
role-qa = 质量保证
status-db = 数据库：{ $path }
status-sync-offline = 同步：离线 – 未配置（{ $queued } 条排队）
status-sync-error = 同步：无法读取存储库设置（{ $queued } 条排队）
status-sync-failing = 无法连接存储库 – 正在重试
status-sync-online = 在线
status-sync-parked = { $count } 条被存储库拒绝
parked-title = 被存储库拒绝
parked-help = 存储库拒绝了这些命令；其后涉及相同单元的内容都不会发送。请重新接收该层级（接收模式）以查看存储库的状态，然后请管理员重试（packbench sync retry-parked）。
status-sscc-low = SSCC 标签即将用完：剩余 { $left }
notice-dismiss = 关闭
