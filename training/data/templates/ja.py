"""日本語テンプレート（日本語で直接作成）。"""
# Natural-language template data: one sentence per line reads better than split strings.
# ruff: noqa: E501

__all__ = ["FRAME", "PROSE"]

PROSE: dict[str, list[str]] = {
    "contact": [
        "{PERSON}様の住所を{ADDRESS}に変更してください。",
        "{LAST}さんから{PHONE}に折り返し電話がほしいとのことです。",
        "{PERSON}さんのメールアドレスは{EMAIL}です。",
        "担当者：{PERSON}（{PHONE}）",
        "{PERSON}様、{ADDRESS}宛てに書類を郵送しました。",
        "{LAST}さんに{丁寧な|短い}返信メールを書いて。宛先は{EMAIL}。",
        "応募者の{PERSON}さんは{date}から勤務可能です。連絡先は{PHONE}。",
        "お客様{PERSON}様（{EMAIL}）から返金の問い合わせがありました。",
    ],
    "hr": [
        "{PERSON}さんの年収は{MONEY}に決まりました。社外秘でお願いします。",
        "{PERSON}さんの昇給率は{PCT}、賞与は{MONEY}です。",
        "{LAST}さんは{date}まで休職予定です。チームには伝えないでください。",
        "来期の採用予算は{MONEY}です。",
        "{PERSON}さんへの退職金は{MONEY}で合意しました。",
    ],
    "ids": [
        "マイナンバーは{MYNUMBER}です。",
        "{PERSON}さんの個人番号：{MYNUMBER}",
        "パスポート番号{PASSPORT}、有効期限{date}。",
        "源泉徴収票のためにマイナンバー（{MYNUMBER}）を登録してください。",
    ],
    "payment": [
        "振込先：{bank}銀行 {branch}支店 普通 {ACCOUNT}",
        "クレジットカード番号{CARD}で決済してください。",
        "カード{CARD}が使えないのはなぜですか？",
        "口座番号{ACCOUNT}に返金をお願いします。",
        "海外送金先のIBANは{IBAN}です。",
    ],
    "secret": [
        "本番DBのパスワードは{PASSWORD}です。",
        "APIキー{TOKEN}で401エラーになります。",
        "接続文字列：{DB_URI}",
        "CI用の新しいトークン：{TOKEN}",
        "管理者アカウント：{admin|root} / {PASSWORD}",
        "キーをローテーションしました。新しいキーは{SECRET}です。",
    ],
    "infra": [
        "ビルドサーバー{HOST}がまた落ちています。",
        "VPNから{URL}にアクセスできません。",
        "DBを{HOSTPORT}に移行しました。設定を更新してください。",
        "{IP}へのSSHがタイムアウトします。",
        "検証環境のサブネットは{CIDR}です。",
        "手順は社内Wiki（{URL}）を参照してください。",
    ],
    "project": [
        "{CODENAME}{計画|プロジェクト|}の予算は前年比{PCT}増です。",
        "{CODENAME}の試作機は{date}に完成予定です。社外には出さないでください。",
        "{CODENAME}プロジェクトの進捗報告を要約して。",
        "{CODENAME}はサプライヤーの認定が遅れてQ{q}にずれ込みます。",
        "{CODENAME}の開発費は{MONEY}を見込んでいます。",
    ],
    "deal": [
        "{CUSTOMER}との契約額は{MONEY}です。",
        "{CUSTOMER}から{PCT}の値引きを求められています。",
        "{CUSTOMER}で障害が頻発しており、解約の可能性があります。",
        "今期の売上見込みは{MONEY}、営業利益率は{PCT}です（未公表）。",
        "{CUSTOMER}向けの見積もりは{MONEY}で提出しました。",
    ],
    "neg_tech": [
        "APIキーは環境変数に設定してください（例：API_KEY={placeholder}）。",
        "リクエストIDは{uuid}、コミットは{sha}です。",
        "{version}にアップデートしてください。詳細は{public_url}。",
        "{placeholder}を自分のトークンに置き換えてください。",
        "SHA-256チェックサム：{sha256}",
        "ドキュメントはこちら：{public_url}",
    ],
    "neg_news": [
        "{public_figure}氏は{date}に新たな経済対策を発表した。",
        "{public_company}の四半期売上高は{public_money}だった。",
        "{public_company}の株価は決算発表後に{n}%下落した。",
        "新モデルの価格は{public_money}と公式サイトに掲載されています。",
    ],
    "neg_word": [
        "今朝、池で{bird}を見かけました。",
        "{sky}がとてもきれいな夜でした。",
        "庭に{tree}を植えました。",
        "動物園の{animal}はずっと寝ていた。",
        "{mineral}のアクセサリーを{city}で買った。",
        "子どもたちが{animal}の絵を描きました。",
    ],
    "neg_misc": [
        "注文番号{order}は{date}に発送されました。",
        "チケット{ticket}はクローズしました。",
        "会議は{time}からに変更になりました。",
        "早速のご返信ありがとうございます。",
        "この文章をもっと丁寧にしてください。",
    ],
}

FRAME: dict[str, list[str]] = {
    "post_open": ["同じ現象の人いますか？", "質問です。", "助けてください。", "【相談】"],
    "post_close": ["追記：解決しました。", "よろしくお願いします。", "#エンジニア", "どう思いますか？"],
    "chat_open": [
        "これを手伝ってください。",
        "以下を要約して：",
        "英語に翻訳して：",
        "このエラーの原因は？",
        "以下の文章を直して：",
        "質問です。",
    ],
    "chat_ask": ["どうすればいいですか？", "原因を教えてください。", "短くして。", "ありがとう！"],
    "greeting": ["{LAST}様", "{LAST}さん", "{PERSON}様", "お疲れ様です。", "各位"],
    "signoff": ["よろしくお願いいたします。", "以上、よろしくお願いします。", "取り急ぎご連絡まで。"],
    "subject": ["Re: ご確認のお願い", "【至急】", "契約について", "第{q}四半期の数字", "議事録 {date}"],
    "title": ["接続がタイムアウトする", "{version}へのアップデート後にビルド失敗", "起動時にクラッシュ"],
    "form": [
        "氏名",
        "メールアドレス",
        "電話番号",
        "住所",
        "生年月日",
        "マイナンバー",
        "口座番号",
        "お問い合わせ内容",
    ],
}

_MORE: dict[str, list[str]] = {
    "contact": [
        "もっと丁寧な表現に直して：「{LAST}さん、署名済みの書類がまだ届いていません。{PHONE}までお電話ください。」",
        "代替品を{ADDRESS}の{PERSON}様宛てに発送してください。",
        "お客様の{PERSON}様（{EMAIL}）が{date}に工場見学に来られます。",
        "{LAST}さんの携帯は{PHONE}で合ってますか？つながらないです。",
        "緊急連絡先：{PERSON}　{PHONE}",
        "{EMAIL}をメーリングリストに追加しておいてください。",
        "{EMAIL}からクレームのメールが来ました。どう返信すればいい？",
        "宛先：{PERSON}様\n住所：{ADDRESS}",
    ],
    "hr": [
        "計算を確認して：{PERSON}さんの年収{SALARY}に{PCT}昇給したらいくら？",
        "内定通知書の下書き：{PERSON}様、年俸{SALARY}、入社日{date}。",
        "{PERSON}さんは{date}から育休に入ります。",
        "{PERSON}さん（{EMAIL}）への不採用メールを書いて。",
        "シニアエンジニアの給与レンジは{SALARY}〜{SALARY}です。",
    ],
    "ids": [
        "この書類を埋めて：氏名{PERSON}、マイナンバー{MYNUMBER}、住所{ADDRESS}",
        "{MYNUMBER}はマイナンバーとして正しい形式ですか？",
        "ローン申込用：{PERSON}、個人番号{MYNUMBER}、電話{PHONE}",
    ],
    "payment": [
        "注文{order}の返金をカード{CARD}にお願いします。",
        "カード{CARD}が決済で弾かれます。お客様は有効だと言っています。",
        "給与振込口座を{bank}銀行 {branch}支店 普通預金 {ACCOUNT}に変更してください。",
        "{CARD}で支払ったら二重に請求されました。",
    ],
    "secret": [
        "この.envでアプリが落ちる理由は？\nDATABASE_URL={DB_URI}\nSECRET_KEY={SECRET}",
        "間違えて{TOKEN}を公開リポジトリにpushしてしまいました。どうやって無効化しますか？",
        "Jenkinsの管理者パスワードは{PASSWORD}です。",
        "このキーで試してみて：{TOKEN}",
        "ゲスト用Wi-Fiのパスワード：{PASSWORD}",
        "本番のDB password は {PASSWORD} です、Slackには貼らないで。",
        "このJWTをデコードして：{JWT}",
    ],
    "infra": [
        "ノートPCから{HOST}の名前解決ができません。",
        "{URL}のKibanaが{date}から何も表示しません。",
        "/apiを{HOSTPORT}に転送するnginxの設定を書いて。",
        "セキュリティグループで{CIDR}を許可してください。",
        "誰か{HOST}を再起動してもらえますか？朝からスワップしています。",
        "{IP}のプリンターがまた文字化けしてます。",
    ],
    "project": [
        "{CODENAME}の名前を出さずに匂わせるLinkedIn投稿を書いて。",
        "{CODENAME}は月{MONEY}のペースで予算を消化しています。",
        "取締役会での{CODENAME}のデモは失敗、バッテリーが過熱しました。",
        "英訳して：{CODENAME}の試作機がEMC試験に合格しました。",
        "{CODENAME}のリスク：部品調達の遅れ、コスト{PCT}超過。",
    ],
    "deal": [
        "{CUSTOMER}へのフォローメールを書いて：3年契約なら{PCT}値引き可能。",
        "{CUSTOMER}が{n}ライセンスを合計{MONEY}で希望しています。下限価格を下回りますか？",
        "{CUSTOMER}のエスカレーションを要約：今月{n}回の障害、{MONEY}の補償を要求。",
        "{CUSTOMER}は売上の{PCT}を占める最大顧客ですが、不満を持っています。",
        "社内見通し：来期売上{MONEY}、社外秘。",
    ],
    "neg_tech": [
        "{shorthost}と{shorthost}を再起動してからキューを確認してください。",
        "コミット{sha}でビルドが壊れたので{sha}に戻します。",
        "UUID {uuid}がusersテーブルに見つかりません。",
        "Python {version}でimport時に落ちます。",
        "社員番号{empid}の入館証を再発行してください。",
    ],
    "neg_news": [
        "この記事を要約して：{public_figure}氏が{city}を訪問し、{public_company}の新工場を視察した。",
        "{public_company}は年間売上高{public_money}を発表した。",
        "このサブスクは{price}ですが、お得ですか？",
    ],
    "neg_word": [
        "{animal}って何を食べるの？子どもに聞かれました。",
        "飛んでいる{bird}をきれいに撮るコツは？",
        "{tree}の生け垣は手入れが大変ですか？",
        "ホテルの名前は「{bird}亭」で、朝食が最高でした。",
    ],
    "neg_misc": [
        "会議の内容を要約して：議題と次のステップを確認しました。",
        "志望動機の文章を添削してください。",
        "注文{order}が届きません。サポートに何と書けばいい？",
    ],
}
for _theme, _tpls in _MORE.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_PUBLIC: dict[str, list[str]] = {
    "neg_news": [
        "{customer}は有価証券報告書で売上高{public_money}を公表した。",
        "プレスリリース：{customer}が{city}に新工場を開設。",
        "日経によると、{customer}は新しいCFOを任命した。",
        "{customer}が本日、統合報告書を公開しました。",
        "{customer}が{city}で採用しているらしいけど、どんな会社？",
    ],
}
for _theme, _tpls in _PUBLIC.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_MORE2: dict[str, list[str]] = {
    "contact": [
        "お世話になっております。{PERSON}です。ご不明点は{PHONE}までご連絡ください。",
        "{LAST}先生宛ての書類は{ADDRESS}に送付してください。",
        "{LAST}様（{EMAIL}）から{date}の打ち合わせキャンセルの連絡がありました。",
        "新しい取引先の担当者：{PERSON}さん、電話{PHONE}、メール{EMAIL}",
        "配達員が{ADDRESS}で{PERSON}様に会えなかったそうです。",
        "{FIRST}ちゃんの連絡先、{PHONE}で合ってる？",
        "請求書の送付先を{ADDRESS}に変更お願いします。担当：{PERSON}",
    ],
    "hr": [
        "年収{SALARY}の手取りを計算して。{LAST}さんのオファー用です。",
        "{PERSON}さんの人事評価：目標未達のため賞与を{SALARY}に減額。",
        "希望退職の対象者は{PERSON}さんと{PERSON}さんです。{date}に発表予定。",
        "{PERSON}さんの残業代が月{SALARY}を超えています。",
        "{LAST}さんの基本給を{SALARY}に改定します（社外秘）。",
    ],
    "ids": [
        "マイナンバー{MYNUMBER}がe-Taxで弾かれるのはなぜ？",
        "{PERSON}さんの入社手続きのため、個人番号（{MYNUMBER}）を提出してください。",
        "パスポート{PASSPORT}の名義は{PERSON}です。",
        "扶養家族のマイナンバー：{MYNUMBER}",
    ],
    "payment": [
        "家賃の振込先：{bank}銀行 {branch}支店 普通 口座番号{ACCOUNT} 名義{PERSON}",
        "カード番号{CARD}、有効期限{n}/{n}で合っていますか？",
        "返金は{bank}銀行の口座{ACCOUNT}にお願いします。",
        "海外取引先の口座（IBAN）：{IBAN}",
        "法人カード{CARD}の利用明細を確認してください。",
    ],
    "secret": [
        "検証DBの接続情報：{DB_URI}",
        "GitLabのトークン{TOKEN}が今朝から使えません。",
        "adminのパスワード：{PASSWORD}（要変更）",
        "サーバーの秘密鍵です：\n{PEM}",
        "このAPI key {TOKEN} で403が返ってきます。何が原因？",
        "共有フォルダのパスワードは{PASSWORD}です。Teamsには貼らないでください。",
    ],
    "infra": [
        "NAS（{HOST}）の容量がいっぱいです。",
        "移行後、社内ポータル{URL}がとても重いです。",
        "IPアドレス{IP}が重複しています。",
        "プロキシのホワイトリストに{HOSTPORT}を追加してください。",
        "検証クラスタのネットワークは{CIDR}です。",
        "{HOST}にpushできません。証明書エラーが出ます。",
    ],
    "project": [
        "{CODENAME}の進捗について社内向けの通知文を書いて。配布先は限定です。",
        "{CODENAME}はセルのサプライヤーが{n}週間遅れています。",
        "展示会では{CODENAME}のことは話さないでください。NDA案件です。",
        "{CODENAME}プロジェクトの責任者は誰になりましたか？",
        "{CODENAME}の量産開始は{date}の予定（社外秘）。",
    ],
    "deal": [
        "{CUSTOMER}が更新時に{PCT}の値引きを要求しています。受けますか？",
        "{CUSTOMER}と契約締結：{n}年間で{MONEY}。{date}まで公表しないでください。",
        "{CUSTOMER}で{n}時間のシステム停止、違約金{MONEY}を請求されています。",
        "{CUSTOMER}の入札への回答を準備して。最低価格は{MONEY}です。",
        "{CUSTOMER}向け粗利率は{PCT}しかありません。",
    ],
    "neg_tech": [
        "法人番号は国税庁のサイトで公開されています：{public_url}",
        "{version}をリリースしました。変更履歴は{public_url}。",
        "スクリプト実行前に<password>を自分のパスワードに置き換えてください。",
        "設定例：DB_PASSWORD={placeholder}",
        "リクエスト{uuid}が{n}秒でタイムアウトしました。",
    ],
    "neg_news": [
        "{public_figure}氏が今朝のニュース番組に出演した。",
        "新幹線の{city}までの運賃は{price}です。",
        "{public_company}の決算短信によると営業利益率は{n}%。",
    ],
    "neg_word": [
        "ベランダに{bird}が巣を作りました。",
        "望遠鏡で{sky}を観察しました。",
        "{tree}の葉がもう落ち始めています。",
        "{mineral}の指輪を母からもらいました。",
    ],
    "neg_misc": [
        "荷物{order}はコンビニ受け取りになっています。",
        "{time}からチームの定例です。",
        "「適宜」と「随時」の違いを教えて。",
    ],
}
for _theme, _tpls in _MORE2.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_CONTRAST: dict[str, list[str]] = {
    "infra": [
        "{public_url}は普通に開けるのに、{URL}は自宅からだとタイムアウトします。",
        "公開のステータスページは{public_url}、実際のダッシュボードは{URL}です。",
    ],
    "project": [
        "今朝{bird}を見ました。それはさておき、{CODENAME}のレビューは{date}に延期です。",
        "公式サイト{public_url}ではローンチまで{CODENAME}に触れないこと。",
    ],
}
for _theme, _tpls in _CONTRAST.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_IDS: dict[str, list[str]] = {
    "ids": [
        "運転免許証番号：{DRIVER}",
        "レンタカーの予約に免許証番号{DRIVER}が必要です。",
    ],
}
for _theme, _tpls in _IDS.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

PROSE["neg_misc"].extend(
    [
        "スマホのIMEIは{imei}です。",
        "JANコード{ean}で別の商品が表示されます。",
        "追跡番号{tracking}が一週間動いていません。",
        "ISBN {isbn}の本を注文しました。",
    ]
)

# 公開ソフトウェア、イベント、送信者自身の会社、プレースホルダー: コードネームや顧客や秘密に見えるが、そうではない名前と ID。
PROSE["neg_public"] = [
    "{software}から{software}に移行中です。{version}へのアップデートで注意点はありますか？",
    "{software}を{software}の後ろでTLS終端して動かす方法を教えてください。",
    "チュートリアル：{software}と{software}で簡単なREST APIを作る手順。",
    "{software}はまだメンテナンスされていますか？最新版は{version}のようです。",
    "今年の{event}に行きますか？{software}のワークショップが面白そうです。",
    "Webhookで{objid}が届きました。署名の検証方法は？",
    "{software}を更新してからPod {pod}がOOMKilledで再起動を繰り返しています。",
    "サンプル設定のパスワードは{pw_word}になっているので、自分のものに置き換えてください。",
    "よろしくお願いいたします。\n{customer} サポートチーム\n{public_url}",
    "© {year} {customer} All rights reserved. プライバシーポリシー | 会社概要",
    "{customer}広報室：取材のお問い合わせは{public_url}のフォームからお願いします。",
    "{software}、{software}、{software}を小さなチーム向けに表で比較して。",
    "ジョブ{slugid}が{software}で終了コード{n}で失敗しました。ログを添付します。",
    "彼女は{institution}で博士号を取り、今は{software}をメンテナンスしています。",
    "{institution}の論文が{software}と{software}を比較しています。",
]
