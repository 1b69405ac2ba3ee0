# returns — zh-CN：退货台（可销售退货验证）与召回 / 追溯

nav-returns = 退货
nav-recall = 召回与追溯
cmd-returns-mode = 退货模式

returns-title = 退货台
returns-hint = 扫描退回的药盒（或退回的箱子）：由生产商的验证服务确认其是否可以再次销售。
returns-entry = 退回的药盒或箱子
returns-verify = 验证
returns-case-summary = 已检查 { $packs } 盒，{ $verified } 盒验证通过。
returns-waiting = 等待验证服务：{ $count }
returns-retry = 立即重试
returns-refresh = 刷新
returns-save-csv = 保存退货文件（CSV）…
returns-recent = 最近的检查

vrs-failure-no-match-gtin-serial = 生产商没有该产品代码和序列号的药盒。
vrs-failure-no-match-gtin-serial-lot = 批号与生产商的记录不符。
vrs-failure-no-match-gtin-serial-expiry = 有效期与生产商的记录不符。
vrs-failure-no-match-gtin-serial-lot-expiry = 批号和有效期与生产商的记录不符。
vrs-failure-gtin-not-found = 没有验证服务认识该产品代码。
vrs-failure-gtin-not-registered = 该产品代码未在验证路由器中注册。
vrs-failure-no-reason-provided = 验证服务未给出原因。
vrs-failure-other = 验证服务答复：{ $code }

recall-title = 召回与追溯
recall-gtin = GTIN
recall-lot = 批号
recall-find = 查找批次
recall-unit = 药盒、箱或托盘
recall-of-unit = 召回其批次
trace-unit = 追溯
trace-heading = { $unit } 的追溯
trace-inside = 位于：{ $path }
trace-save-pdf = 保存追溯（PDF）…
recall-summary = { $gtin } 的批次 { $lot }：共 { $total } 个单元，{ $stock } 在库，{ $held } 冻结，{ $shipped } 已发货，{ $retired } 已停用
recall-lot-held = 整批已冻结
recall-pull = 需取出的容器：{ $count }
recall-hold-lot = 冻结整批…
recall-save-csv = 保存 CSV…
recall-save-pdf = 保存 PDF…
recall-col-container = 最外层容器
recall-col-units = 单元
recall-col-status = 状态
recall-col-last = 最后已知事件
recall-loose = 不在任何容器中
recall-in-stock = 在库
recall-on-hold = 冻结
recall-shipped = 已发货
recall-retired = 已停用
