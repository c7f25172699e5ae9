"""Writes tests/data/news-*.ar.html, two saved Arabic news pages, from the seed article.

Run once from the repository root (``python tests/data/make_saved_pages.py``); the pages
are committed. Page 1 is a TV channel's article page (UTF-8, semantic markup, Open
Graph and schema.org metadata); page 2 an old portal laid out with tables (Windows-1256).
Both carry real boilerplate: menus, breaking-news bar, share buttons, a read-also box,
tags, newsletter, comments, related and most-read lists, a poll, ads and a footer.
"""
import html
import pathlib

root = pathlib.Path(__file__).resolve().parents[2]
lines = (root / "seeds/aleppo-offensive.ar.txt").read_text(encoding="utf-8").splitlines()
HEADINGS = {2, 6, 10}
TITLE = "فصائل المعارضة السورية تسيطر على أجزاء واسعة من مدينة حلب"
e = html.escape

def body(tag_p="p", tag_h="h2"):
    out = []
    for i, line in enumerate(lines):
        if i in HEADINGS:
            out.append(f"<{tag_h}>{e(line)}</{tag_h}>")
        else:
            out.append(f"<{tag_p}>{e(line)}</{tag_p}>")
    return out

# Page 1: a TV channel's site, semantic markup (<article>, schema.org, Open Graph).
b = body()
b.insert(6, '<div class="read-also"><span>اقرأ أيضًا</span> <a href="/news/2024/11/28/idlib">'
            'مقتل مدنيين في غارات روسية على ريف إدلب الجنوبي</a></div>')
page1 = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>{e(TITLE)} | التلفزيون العربي</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{e(lines[0])}">
<meta property="og:title" content="{e(TITLE)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="التلفزيون العربي">
<meta property="article:published_time" content="2024-11-29T21:14:00+03:00">
<link rel="canonical" href="https://www.alaraby.example/news/2024/11/29/aleppo">
<link rel="stylesheet" href="/static/css/main.4f1c2.css">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{TITLE}","datePublished":"2024-11-29T21:14:00+03:00","author":{{"@type":"Organization","name":"التلفزيون العربي"}}}}</script>
<script async src="https://www.googletagmanager.example/gtag/js?id=G-XXXX"></script>
</head>
<body class="article-page">
<div id="cookie-banner" class="cookie">يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك في التصفح. <button>موافق</button></div>
<header class="site-header">
  <a class="logo" href="/"><img src="/static/img/logo.svg" alt="التلفزيون العربي"></a>
  <nav class="main-menu" aria-label="القائمة الرئيسية">
    <ul>
      <li><a href="/">الرئيسية</a></li><li><a href="/news">أخبار</a></li><li><a href="/politics">سياسة</a></li>
      <li><a href="/economy">اقتصاد</a></li><li><a href="/sport">رياضة</a></li><li><a href="/programs">برامج</a></li>
      <li><a href="/live">البث المباشر</a></li>
    </ul>
  </nav>
  <form class="search" action="/search"><input name="q" placeholder="ابحث في الموقع"><button>بحث</button></form>
</header>
<div class="breaking"><strong>عاجل:</strong> <a href="/news/breaking">انقطاع التيار الكهربائي عن عدة مناطق في العاصمة بسبب العاصفة</a></div>
<main>
<nav class="breadcrumb"><a href="/">الرئيسية</a> › <a href="/news">أخبار</a> › <a href="/news/arab">عربي</a></nav>
<article class="article">
  <h1 class="article-title">{e(TITLE)}</h1>
  <div class="meta"><span class="source">المصدر: التلفزيون العربي – وكالات</span> <time datetime="2024-11-29T21:14:00+03:00">29 نوفمبر 2024</time></div>
  <div class="share">
    <span>شارك</span>
    <a class="fb" href="https://facebook.example/sharer?u=x">فيسبوك</a>
    <a class="tw" href="https://twitter.example/intent/tweet?u=x">إكس</a>
    <a class="wa" href="https://wa.example/send?text=x">واتساب</a>
    <button class="copy">نسخ الرابط</button>
  </div>
  <figure><img src="/media/aleppo.jpg" alt="حلب"><figcaption>دخان يتصاعد فوق أحياء حلب الغربية (أرشيف)</figcaption></figure>
  <div class="article-body">
    {chr(10).join("    " + x for x in b)}
  </div>
  <div class="tags"><span>وسوم:</span> <a href="/tag/syria">سوريا</a> <a href="/tag/aleppo">حلب</a> <a href="/tag/turkey">تركيا</a></div>
  <div class="share bottom"><span>شارك المقال</span> <a href="#">فيسبوك</a> <a href="#">إكس</a> <a href="#">تلغرام</a></div>
</article>
<section class="newsletter"><h3>النشرة البريدية</h3><p>اشترك في النشرة البريدية ليصلك كل جديد من أخبارنا.</p><input type="email" placeholder="بريدك الإلكتروني"><button>اشترك</button></section>
<section id="comments" class="comments">
  <h3>التعليقات (3)</h3>
  <div class="comment"><span class="author">أبو محمد</span><p>نتمنى أن تنتهي هذه الحرب قريبًا ويعود الأمان إلى كل المدن السورية.</p><a href="#" class="reply">رد</a></div>
  <div class="comment"><span class="author">سارة</span><p>الله يحمي أهلنا في حلب من القصف والتهجير.</p><a href="#" class="reply">رد</a></div>
  <div class="comment"><span class="author">خالد العلي</span><p>تغطية ممتازة كالعادة، شكرًا لفريق المراسلين على جهودهم.</p><a href="#" class="reply">رد</a></div>
  <form class="comment-form"><textarea placeholder="اكتب تعليقك هنا"></textarea><button>أرسل التعليق</button></form>
</section>
<aside class="related">
  <h3>أخبار ذات صلة</h3>
  <ul>
    <li><a href="/news/1">الأمم المتحدة تحذر من كارثة إنسانية في شمال سوريا</a></li>
    <li><a href="/news/2">موسكو ترسل تعزيزات عسكرية إلى قاعدة حميميم</a></li>
    <li><a href="/news/3">آلاف النازحين يتجهون نحو الحدود التركية هربًا من المعارك</a></li>
    <li><a href="/news/4">أسعار المواد الغذائية ترتفع في أسواق دمشق</a></li>
  </ul>
</aside>
</main>
<aside class="most-read"><h3>الأكثر قراءة</h3><ol>
  <li><a href="/news/5">منتخب المغرب يتأهل إلى نهائيات كأس أمم أفريقيا</a></li>
  <li><a href="/news/6">ارتفاع أسعار الذهب إلى مستوى قياسي جديد</a></li>
  <li><a href="/news/7">عاصفة ثلجية تضرب جبال لبنان وتقطع الطرقات</a></li>
</ol></aside>
<footer class="site-footer">
  <ul><li><a href="/about">من نحن</a></li><li><a href="/contact">اتصل بنا</a></li><li><a href="/privacy">سياسة الخصوصية</a></li><li><a href="/terms">شروط الاستخدام</a></li></ul>
  <p>جميع الحقوق محفوظة © 2024 التلفزيون العربي.</p>
  <div class="social">تابعونا على <a href="#">يوتيوب</a> <a href="#">إنستغرام</a></div>
</footer>
<script src="/static/js/app.9a8b7.js"></script>
</body>
</html>
"""
(root / "tests/data/news-araby.ar.html").write_text(page1, encoding="utf-8")

# Page 2: a news-portal template of nested divs, no <article> element, Windows-1256 encoded.
b2 = []
for i, line in enumerate(lines):
    if i in HEADINGS:
        b2.append(f'<h3 class="sub-title"><strong>{e(line)}</strong></h3>')
    else:
        b2.append(f'<p dir="rtl">{e(line)}</p>')
b2.insert(11, '<div class="inline-ad"><div class="ad-label">إعلان</div><ins class="adsbygoogle" data-ad-slot="123"></ins></div>')
page2 = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" dir="rtl" lang="ar">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1256" />
<title>حلب: اشتباكات عنيفة وقصف روسي وتركيا تطالب بوقف الهجمات - شبكة الأخبار</title>
<meta name="keywords" content="حلب, سوريا, المعارضة, روسيا, تركيا" />
<style type="text/css">body{{font-family:Tahoma}} .top-links a{{color:#fff}}</style>
<script type="text/javascript">var _page = {{section: "arab", id: 58812}};</script>
</head>
<body>
<div id="wrapper">
 <div class="top-links"><a href="/ar/">الصفحة الرئيسية</a> | <a href="/ar/world">العالم</a> | <a href="/ar/arab">الوطن العربي</a> | <a href="/ar/culture">ثقافة وفنون</a> | <a href="/ar/tech">علوم وتكنولوجيا</a> | <a href="/en/">English</a></div>
 <div class="date-bar">السبت 30 نوفمبر 2024 - آخر تحديث: 10:42 بتوقيت مكة المكرمة</div>
 <div id="ticker"><marquee>تابعوا تغطيتنا المستمرة للأحداث على مدار الساعة عبر تطبيق الهاتف المحمول</marquee></div>
 <table width="100%" class="layout"><tr>
 <td class="sidebar-right" valign="top">
   <div class="box"><div class="box-title">أقسام الموقع</div>
     <a href="/ar/arab">أخبار عربية</a><br /><a href="/ar/world">أخبار دولية</a><br /><a href="/ar/sport">الرياضة</a><br /><a href="/ar/health">صحة</a>
   </div>
   <div class="box poll"><div class="box-title">استطلاع الرأي</div>
     <div>هل تتوقع توسع المعارك إلى مدن أخرى؟</div>
     <label><input type="radio" name="p" /> نعم</label> <label><input type="radio" name="p" /> لا</label> <input type="submit" value="صوّت" />
   </div>
 </td>
 <td class="content" valign="top">
  <div class="news-item">
   <div class="news-head">
     <h1 class="news-title">حلب: اشتباكات عنيفة وقصف روسي وتركيا تطالب بوقف الهجمات</h1>
     <div class="news-info">بقلم: قسم الأخبار | نشر في: 29/11/2024 | عدد القراءات: 15230</div>
     <div class="print-mail"><a href="javascript:print()">طباعة</a> <a href="/send?id=58812">أرسل لصديق</a> <a href="#">تكبير الخط</a> <a href="#">تصغير الخط</a></div>
   </div>
   <div class="news-text">
    {chr(10).join("    " + x for x in b2)}
   </div>
   <div class="addthis_toolbox"><a class="addthis_button_facebook">شارك على فيسبوك</a> <a class="addthis_button_twitter">شارك على تويتر</a> <a class="addthis_button_email">أرسل بالبريد</a></div>
  </div>
  <div class="more-news"><div class="box-title">اقرأ أيضًا في نفس القسم</div>
   <ul>
    <li><a href="/ar/arab/58801">وزير الخارجية الأردني يستقبل نظيره العراقي في عمان</a> <span class="date">29/11/2024</span></li>
    <li><a href="/ar/arab/58795">انطلاق فعاليات معرض الكتاب الدولي في الشارقة بمشاركة واسعة</a> <span class="date">28/11/2024</span></li>
    <li><a href="/ar/arab/58790">مباحثات مصرية قطرية حول جهود التهدئة في المنطقة</a> <span class="date">28/11/2024</span></li>
   </ul>
  </div>
  <div class="user-comments"><div class="box-title">تعليقات القراء</div>
   <div class="c-item"><b>1 - مواطن سوري</b> <i>30/11/2024</i><div>الحرية لكل الشعب السوري والرحمة للشهداء.</div></div>
   <div class="c-item"><b>2 - أحمد من عمان</b> <i>30/11/2024</i><div>ما يحدث في حلب يحتاج إلى موقف عربي موحد وعاجل.</div></div>
   <div class="c-form">أضف تعليقك: <textarea name="c"></textarea><div>التعليقات المنشورة لا تعبر بالضرورة عن رأي الموقع.</div></div>
  </div>
 </td>
 <td class="sidebar-left" valign="top">
   <div class="box"><div class="box-title">الأكثر مشاهدة</div>
     <a href="/ar/v/1">شاهد: لحظة انهيار مبنى سكني في القاهرة</a><br /><a href="/ar/v/2">فيديو: احتفالات الجماهير بعد الفوز بالبطولة</a>
   </div>
   <div class="box ads"><img src="/banners/bank.gif" alt="إعلان البنك الوطني" /></div>
 </td>
 </tr></table>
 <div id="footer">جميع الحقوق محفوظة لشبكة الأخبار © 2005 - 2024 | <a href="/ar/about">عن الشبكة</a> | <a href="/ar/advertise">أعلن معنا</a> | <a href="/ar/rss">خدمة RSS</a><br />يمنع نسخ أو إعادة نشر المواد دون إذن مسبق من إدارة الموقع.</div>
</div>
</body>
</html>
"""
(root / "tests/data/news-portal.ar.html").write_bytes(page2.encode("cp1256"))
print("ok")
