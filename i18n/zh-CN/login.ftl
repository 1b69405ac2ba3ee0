# login — zh-CN

login-title = 登录
login-user = 用户名
login-password = 密码
login-submit = 登录
first-run-title = 欢迎使用 packbench
first-run-intro = 首次启动：创建管理员。系统会建立一个带演示产品的培训工单，便于立即尝试所有流程。
first-run-user = 管理员用户名
first-run-name = 姓名
first-run-password = 密码（至少 8 个字符）
first-run-password2 = 再次输入密码
first-run-mismatch = 两次密码不一致。
first-run-short = 密码太短。
first-run-submit = 创建并开始
