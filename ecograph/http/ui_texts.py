"""The texts query-ui.js writes into the query page, in the page's language: the labels of YASGUI's parts it mends,
the error panel's words, and YASGUI's own words (its result views, controls and buttons, DataTables' lines and what
a screen reader reads of them), which the vendored build has only in English."""

from __future__ import annotations


def labels(lang: str) -> dict:
    """The texts query-ui.js writes into a page in `lang`: the labels of YASGUI's parts it mends, the error panel's
    words, and (in Japanese) YASGUI's own words: "words" (its English text -> ours), "table" (DataTables' language
    option) and "info" (the words of "12 results in 0.034 seconds"). None of the last three in English."""
    ja = lang == "ja"
    return {
        "error": "エラー" if ja else "Error", "hint": "ヒント" if ja else "Hint", "at": "位置" if ja else "At",
        "line": "行" if ja else "line", "column": "列" if ja else "column",
        "editor": "SPARQL クエリエディタ" if ja else "SPARQL query editor",
        "endpoint": "SPARQL エンドポイント" if ja else "SPARQL endpoint",
        "filter": "結果を絞り込む" if ja else "Filter query results",
        "pageSize": "1ページの行数" if ja else "Rows per page",
        "run": "クエリを実行" if ja else "Run query",
        "share": "クエリのリンクを共有" if ja else "Share a link to the query",
        "settings": "リクエストの設定" if ja else "Request settings",
        "clear": "エンドポイントを消去" if ja else "Clear the endpoint",
        "query": "クエリ" if ja else "Query", "class": "クラス" if ja else "class", "property": "プロパティ" if ja else "property",
        "words": YASGUI_JA if ja else {}, "table": DATATABLES_JA if ja else None,
        "info": {"results": "件", "seconds": "秒"} if ja else None,
    }


# YASGUI's own words (its result views, their controls and buttons; the vendored build has no translations), as
# query-ui.js puts them on a Japanese page: the English text, trimmed, and what replaces it. The line above the
# results ("12 results in 0.034 seconds") it writes from the words of "info" ("12 件・0.034 秒").
YASGUI_JA = {
    "Table": "表", "Response": "応答", "Simple view": "簡易表示", "Ellipse": "長い値を省略", "Page size:": "1ページの行数:",
    "All": "すべて", "Filter query results": "結果を絞り込む", "Download result": "結果をダウンロード",
    "Download Results": "結果をダウンロード", "Show all": "すべて表示", "Show less": "一部を表示",
    "Shows Table view": "表で表示", "Shows Response view": "応答をそのまま表示",
    "View documentation of Table": "表の説明（YASGUI の文書、英語）", "pagination": "ページ送り",
}
# DataTables' words in YASR's table (its language option): the line under the table, the empty table, the labels
# a screen reader reads on the column heads and the page buttons. The buttons themselves keep YASR's arrows.
DATATABLES_JA = {
    "info": "_TOTAL_ 件中 _START_–_END_ 件", "infoEmpty": "0 件", "infoFiltered": "（全 _MAX_ 件から絞り込み）",
    "emptyTable": "結果はありません", "zeroRecords": "一致する行はありません", "lengthMenu": "_MENU_ 件ずつ表示",
    "search": "検索:", "entries": {"_": "件", "1": "件"}, "lengthLabels": {"-1": "すべて"},
    "aria": {"orderable": ": 選択すると並べ替えます", "orderableReverse": ": 選択すると逆順に並べ替えます",
             "orderableRemove": ": 選択すると並べ替えを解除します",
             "paginate": {"first": "最初のページ", "last": "最後のページ", "next": "次のページ", "previous": "前のページ"}},
}
