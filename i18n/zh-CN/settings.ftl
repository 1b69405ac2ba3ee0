# settings — zh-CN

settings-title = 设置
settings-language = 语言
settings-mute = 静音
settings-wedge-gap = 扫描器：按键最长间隔
settings-auto-logout = 闲置后退出
settings-read-point = 工作站标识 (SGLN)
settings-devices-later = 串口扫描器、摄像头和数据仓库连接在安装驱动后于此配置。
users-title = 用户
users-create = 创建用户
