"""中文模板（直接用中文编写）。"""
# Natural-language template data: one sentence per line reads better than split strings.
# ruff: noqa: E501

__all__ = ["FRAME", "PROSE"]

PROSE: dict[str, list[str]] = {
    "contact": [
        "请把{PERSON}的收货地址改成{ADDRESS}。",
        "客户{PERSON}来电（{PHONE}），希望尽快回电。",
        "{PERSON}的邮箱是{EMAIL}，手机{PHONE}。",
        "联系人：{PERSON}，电话：{PHONE}",
        "帮我给{PERSON}（{EMAIL}）写一封{礼貌的|简短的}回复邮件。",
        "应聘者{PERSON}住在{ADDRESS}，{date}可以入职。",
        "{LAST}先生的新地址是{ADDRESS}。",
        "患者{PERSON}，出生日期{date}，未按时复诊。",
    ],
    "hr": [
        "{PERSON}的年薪定为{MONEY}，请保密。",
        "{PERSON}的调薪幅度为{PCT}，年终奖{MONEY}。",
        "{PERSON}的离职补偿金为{MONEY}。",
        "明年的招聘预算是{MONEY}。",
        "{LAST}女士病假到{date}，不要告诉团队。",
    ],
    "ids": [
        "我的身份证号是{SFZ}。",
        "{PERSON}，身份证号码：{SFZ}",
        "护照号{PASSPORT}，有效期至{date}。",
        "帮我核对一下这个身份证号{SFZ}是否正确。",
    ],
    "payment": [
        "请把定金转到银行卡号{UNIONPAY}。",
        "收款账号：{ACCOUNT}，开户行{bank}。",
        "信用卡{CARD}支付失败，是什么原因？",
        "供应商的收款账户变更为{IBAN}，请确认。",
        "{PERSON}的工资卡号{UNIONPAY}。",
    ],
    "secret": [
        "生产数据库的密码是{PASSWORD}。",
        "用这个API密钥{TOKEN}调用接口返回401。",
        "数据库连接串：{DB_URI}",
        "CI的新token：{TOKEN}",
        "账号{admin|root}，密码{PASSWORD}",
        "密钥已经轮换，新的是{SECRET}。",
    ],
    "infra": [
        "构建服务器{HOST}又挂了。",
        "通过VPN访问不了{URL}。",
        "数据库已迁移到{HOSTPORT}，请更新配置。",
        "SSH连接{IP}超时。",
        "测试环境网段是{CIDR}。",
        "文档在内网wiki：{URL}",
    ],
    "project": [
        "{CODENAME}{项目|计划|}的供应商名单下周确定。",
        "{CODENAME}的预算为{MONEY}，不要外传。",
        "{CODENAME}样机良率达到{PCT}。",
        "帮我总结一下{CODENAME}项目的进展报告。",
        "{CODENAME}推迟到第{q}季度发布。",
    ],
    "deal": [
        "{CUSTOMER}要求降价{PCT}，否则不续约。",
        "与{CUSTOMER}的合同金额为{MONEY}。",
        "{CUSTOMER}最近频繁出现故障，要求赔偿。",
        "本季度营收预计{MONEY}，毛利率{PCT}（尚未公布）。",
        "给{CUSTOMER}的报价是{MONEY}。",
    ],
    "neg_tech": [
        "请在环境变量里设置密钥，例如API_KEY={placeholder}。",
        "请求ID是{uuid}，提交{sha}。",
        "升级到{version}，参见{public_url}。",
        "把{placeholder}替换成你自己的token。",
        "SHA256校验值：{sha256}",
        "官方文档：{public_url}",
    ],
    "neg_news": [
        "{public_figure}于{date}宣布了新的经济政策。",
        "{public_company}公布季度营收为{public_money}。",
        "{public_company}股价在财报发布后下跌{n}%。",
        "新款手机官网售价{public_money}。",
    ],
    "neg_word": [
        "今天早上在湖边看到一只{bird}。",
        "今晚{sky}特别亮。",
        "院子里种了一棵{tree}。",
        "动物园的{animal}一直在睡觉。",
        "这块{mineral}是在{city}买的。",
        "孩子们画了一只{animal}。",
    ],
    "neg_misc": [
        "订单{order}已于{date}发货。",
        "工单{ticket}已关闭。",
        "会议改到{time}。",
        "谢谢你的快速回复！",
        "帮我把这段话改得更正式一些。",
    ],
}

FRAME: dict[str, list[str]] = {
    "post_open": ["有人遇到过这个问题吗？", "求助：", "请教一下：", "【吐槽】"],
    "post_close": ["更新：已解决，谢谢！", "求大佬指点。", "#程序员", "大家怎么看？"],
    "chat_open": [
        "帮我看一下这个问题：",
        "总结以下内容：",
        "翻译成英文：",
        "这个报错是什么原因？",
        "请帮我修改：",
    ],
    "chat_ask": ["应该怎么办？", "有什么办法吗？", "简短一点。", "谢谢！"],
    "greeting": ["{PERSON}您好，", "{LAST}总，", "各位好，", "您好，"],
    "signoff": ["谢谢！", "此致敬礼", "祝好"],
    "subject": ["回复：确认", "【紧急】", "合同事宜", "第{q}季度数据", "会议纪要 {date}"],
    "title": ["连接超时", "升级到{version}后构建失败", "启动时崩溃"],
    "form": ["姓名", "邮箱", "电话", "地址", "出生日期", "身份证号", "银行卡号", "留言"],
}

_MORE: dict[str, list[str]] = {
    "contact": [
        "帮我改得客气一点：“{PERSON}，签好的表格还没收到，请打{PHONE}联系我。”",
        "请把替换件寄给{PERSON}，地址：{ADDRESS}。",
        "客户{PERSON}（{EMAIL}）{date}来工厂参观。",
        "{LAST}经理的手机是{PHONE}吗？一直打不通。",
        "紧急联系人：{PERSON}，{PHONE}",
        "把{EMAIL}加到邮件列表里。",
        "收到{EMAIL}的投诉邮件，怎么回复比较好？",
        "收件人：{PERSON}\n电话：{PHONE}\n地址：{ADDRESS}",
    ],
    "hr": [
        "帮我算一下：{PERSON}年薪{SALARY}，涨薪{PCT}后是多少？",
        "起草录用通知：{PERSON}，月薪{SALARY}，入职日期{date}。",
        "{PERSON}从{date}开始休产假。",
        "给{PERSON}（{EMAIL}）写一封拒信。",
        "高级工程师的薪资范围是{SALARY}到{SALARY}。",
    ],
    "ids": [
        "帮我填表：姓名{PERSON}，身份证号{SFZ}，地址{ADDRESS}",
        "{SFZ}这个身份证号格式对吗？",
        "贷款申请：{PERSON}，身份证{SFZ}，电话{PHONE}",
    ],
    "payment": [
        "订单{order}请退款到卡{CARD}。",
        "银行卡{UNIONPAY}付款一直失败，客户说卡没问题。",
        "工资卡换成{UNIONPAY}，开户行{bank}。",
        "对公账户：{ACCOUNT}，{bank}深圳分行。",
        "用{CARD}付款被扣了两次钱。",
    ],
    "secret": [
        "这是我的.env，为什么应用会崩溃？\nDATABASE_URL={DB_URI}\nSECRET_KEY={SECRET}",
        "不小心把{TOKEN}推到公开仓库了，怎么作废？",
        "Jenkins管理员密码是{PASSWORD}。",
        "用这个key试试：{TOKEN}",
        "访客WiFi密码：{PASSWORD}",
        "这个token {TOKEN} 是不是过期了？",
        "帮我解码这个JWT：{JWT}",
    ],
    "infra": [
        "我的电脑解析不了{HOST}。",
        "{URL}上的Kibana从{date}起就没有数据了。",
        "写一个nginx配置，把/api转发到{HOSTPORT}。",
        "安全组里放行{CIDR}。",
        "谁能重启一下{HOST}？从早上开始一直在swap。",
        "{IP}那台打印机又乱码了。",
    ],
    "project": [
        "写一条领英动态，暗示{CODENAME}但不要提名字。",
        "{CODENAME}每月烧钱{MONEY}，撑到第{q}季度。",
        "{CODENAME}在董事会上的演示失败了，电池过热。",
        "翻译成英文：{CODENAME}样机通过了EMC测试。",
        "{CODENAME}的风险：供应商延期，成本超支{PCT}。",
    ],
    "deal": [
        "给{CUSTOMER}写跟进邮件：签三年可以打{PCT}折扣。",
        "{CUSTOMER}想以总价{MONEY}买{n}个授权，低于我们的底价吗？",
        "总结{CUSTOMER}的投诉升级：本月{n}次故障，要求补偿{MONEY}。",
        "{CUSTOMER}占我们营收的{PCT}，现在很不满意。",
        "内部预测：明年营收{MONEY}，请勿外传。",
    ],
    "neg_tech": [
        "先重启{shorthost}和{shorthost}，再检查队列。",
        "提交{sha}把构建搞坏了，回滚到{sha}。",
        "users表里找不到UUID {uuid}。",
        "Python {version}导入时崩溃，有人知道吗？",
        "工号{empid}需要补办门禁卡。",
    ],
    "neg_news": [
        "总结这篇文章：{public_figure}访问{city}，参观了{public_company}的新工厂。",
        "{public_company}公布年营收{public_money}，超出预期。",
        "这个会员{price}一个月，值得买吗？",
    ],
    "neg_word": [
        "{animal}平时吃什么？孩子问我的。",
        "怎么拍好飞行中的{bird}？",
        "酒店名字叫“{bird}客栈”，早餐很好吃。",
    ],
    "neg_misc": [
        "总结一下会议：议程和下一步都确认了。",
        "帮我润色一下求职信。",
        "订单{order}一直没到，怎么跟客服说？",
    ],
}
for _theme, _tpls in _MORE.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_PUBLIC: dict[str, list[str]] = {
    "neg_news": [
        "{customer}在年报中公布营收{public_money}，同比增长{n}%。",
        "新闻稿：{customer}在{city}新建工厂，提供{num}个岗位。",
        "据财新报道，{customer}任命了新的首席财务官。",
        "{customer}今天发布了社会责任报告。",
        "听说{customer}在{city}招人，有人了解这家公司吗？",
    ],
}
for _theme, _tpls in _PUBLIC.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_MORE2: dict[str, list[str]] = {
    "contact": [
        "您好，我是{PERSON}，有问题请打我手机{PHONE}。",
        "{LAST}老师的资料请寄到{ADDRESS}。",
        "{LAST}女士（{EMAIL}）取消了{date}的会议。",
        "新供应商对接人：{PERSON}，电话{PHONE}，邮箱{EMAIL}",
        "快递员在{ADDRESS}没联系上{PERSON}。",
        "发票寄送地址改为{ADDRESS}，联系人{PERSON}。",
        "{FIRST}的手机号是{PHONE}吧？",
    ],
    "hr": [
        "帮我算一下年薪{SALARY}的税后收入，给{PERSON}发offer用。",
        "{PERSON}绩效不达标，年终奖降到{SALARY}。",
        "裁员名单：{PERSON}、{PERSON}，{date}公布。",
        "{PERSON}的基本工资调整为{SALARY}（保密）。",
        "{PERSON}的加班费每月超过{SALARY}了。",
    ],
    "ids": [
        "身份证号{SFZ}在个税App里验证不通过，为什么？",
        "{PERSON}入职需要提供身份证号：{SFZ}",
        "护照{PASSPORT}，持有人{PERSON}。",
        "帮我孩子报名，身份证号是{SFZ}。",
    ],
    "payment": [
        "房租请打到{bank}，卡号{UNIONPAY}，户名{PERSON}。",
        "卡号{CARD}，有效期{n}/{n}，对吗？",
        "退款请退到我的银行卡{UNIONPAY}。",
        "海外供应商的IBAN：{IBAN}",
        "公司信用卡{CARD}的消费明细帮我查一下。",
    ],
    "secret": [
        "测试库连接信息：{DB_URI}",
        "GitLab的token {TOKEN} 从今早开始就不能用了。",
        "admin密码：{PASSWORD}（记得改）",
        "服务器私钥：\n{PEM}",
        "用这个API key {TOKEN} 一直返回403，怎么回事？",
        "共享盘密码是{PASSWORD}，别发到群里。",
    ],
    "infra": [
        "NAS（{HOST}）满了，谁清理一下？",
        "迁移之后内网门户{URL}特别慢。",
        "IP地址{IP}冲突了。",
        "代理白名单里加一下{HOSTPORT}。",
        "测试集群的网段是{CIDR}。",
        "往{HOST}推代码报证书错误。",
    ],
    "project": [
        "帮我写一份{CODENAME}进展的内部通知，只发给项目组。",
        "{CODENAME}的电芯供应商延期{n}周。",
        "展会上不要提{CODENAME}，签了保密协议。",
        "{CODENAME}项目现在谁负责？",
        "{CODENAME}计划{date}量产（内部信息）。",
    ],
    "deal": [
        "{CUSTOMER}续约要求降价{PCT}，接不接？",
        "和{CUSTOMER}签了，{n}年合同额{MONEY}，{date}前不要对外公布。",
        "{CUSTOMER}停机{n}小时，要求我们赔偿{MONEY}。",
        "准备{CUSTOMER}的投标回复，最低报价{MONEY}。",
        "{CUSTOMER}这个客户的毛利率只有{PCT}。",
    ],
    "neg_tech": [
        "统一社会信用代码可以在国家企业信用信息公示系统查到：{public_url}",
        "{version}已发布，更新日志见{public_url}。",
        "运行脚本前把<password>换成你自己的密码。",
        "配置示例：DB_PASSWORD={placeholder}",
        "请求{uuid}在{n}秒后超时。",
    ],
    "neg_news": [
        "{public_figure}今天上午出席了发布会。",
        "高铁到{city}的票价是{price}。",
        "{public_company}财报显示营业利润率为{n}%。",
    ],
    "neg_word": [
        "阳台上有只{bird}做了窝。",
        "用望远镜看了{sky}。",
        "{tree}的叶子开始掉了。",
        "妈妈送了我一个{mineral}戒指。",
    ],
    "neg_misc": [
        "快递{order}放在驿站了。",
        "{time}开周会。",
        "“的地得”怎么区分？",
    ],
}
for _theme, _tpls in _MORE2.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_CONTRAST: dict[str, list[str]] = {
    "infra": [
        "{public_url}能正常打开，但在家访问{URL}超时。",
        "公开状态页是{public_url}，真正的监控面板是{URL}。",
    ],
    "project": [
        "早上看到一只{bird}。说正事，{CODENAME}的评审改到{date}了。",
        "官网{public_url}在发布前不能提到{CODENAME}。",
    ],
}
for _theme, _tpls in _CONTRAST.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_IDS: dict[str, list[str]] = {
    "ids": [
        "驾驶证号：{DRIVER}",
        "租车需要提供驾照号{DRIVER}。",
    ],
}
for _theme, _tpls in _IDS.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

PROSE["neg_misc"].extend(
    [
        "手机的IMEI是{imei}。",
        "条码{ean}扫出来是别的商品。",
        "快递单号{tracking}一周没更新了。",
        "书号ISBN {isbn}",
    ]
)

PROSE["payment"].extend(
    [
        "对公账户：{ACCOUNT}，户名{customer}，开户行{bank}。",
        "请把货款汇到账号{ACCOUNT}，汇款备注写订单号{order}。",
        "供应商收款账号改成了{ACCOUNT}，需要财务核实。",
        "境外汇款信息：IBAN {IBAN}，SWIFT {bic}。",
        "工资发放账号{ACCOUNT}有误，请更正。",
        "退款账号：{ACCOUNT}（{bank}）",
    ]
)

# 公开软件、活动、发件人自己的公司和占位符：看起来像代号、客户或密钥，但其实不是的名称和 ID。
PROSE["neg_public"] = [
    "我们正在从{software}迁移到{software}，升级到{version}有什么坑吗？",
    "怎么把{software}放在{software}后面做TLS终止？",
    "教程：用{software}和{software}一步步搭一个REST API。",
    "{software}还在维护吗？我看到的最新版本是{version}。",
    "今年{event}你去吗？那个{software}的工作坊看起来不错。",
    "Webhook收到了{objid}，怎么验证签名？",
    "升级{software}之后，Pod {pod}一直因为OOMKilled重启。",
    "示例配置里的密码只是{pw_word}，请换成你自己的。",
    "此致\n{customer}客服团队\n{public_url}",
    "© {year} {customer} 版权所有 | 隐私政策 | 联系我们",
    "{customer}新闻办公室：媒体咨询请通过{public_url}上的表单联系。",
    "把{software}、{software}和{software}做成表格比较一下，适合小团队。",
    "任务{slugid}在{software}里失败了，退出码{n}，日志见附件。",
    "她在{institution}读的博士，现在维护{software}。",
    "{institution}的论文比较了{software}和{software}。",
]
