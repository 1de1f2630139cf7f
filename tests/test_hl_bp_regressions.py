"""HL and BP cases found by writing their fixtures: each was wrong once."""

from __future__ import annotations

import pytest

from artlint.document import Document

from conftest import diagnostics, fix, lint, settings


@pytest.mark.parametrize(
    ("code", "path", "text", "expected", "fixed"),
    [
        # A repeat as a Markdown heading is deleted with its "##".
        ("HL001", "a.md",
         "---\ntitle: Appeal Court Frees Man Jailed for 1998 Warehouse Fire\n---\n\nThree judges ruled.\n\n"
         "## Appeal Court Frees Man Jailed for 1998 Warehouse Fire\n\nMore text here.\n",
         [(7, 4, "HL001")],
         "---\ntitle: Appeal Court Frees Man Jailed for 1998 Warehouse Fire\n---\n\nThree judges ruled.\n\n"
         "More text here.\n"),
        # A repeat wrapped over two lines.
        ("HL001", "a.txt",
         "Regional Water Board Approves Record Fines for Sewage Spills Into Rivers\n\nThe board met.\n\n"
         "Regional Water Board Approves Record Fines for\nSewage Spills Into Rivers\n\nFines rise.\n",
         [(5, 1, "HL001")],
         "Regional Water Board Approves Record Fines for Sewage Spills Into Rivers\n\nThe board met.\n\n"
         "Fines rise.\n"),
        # "No." ends a headline as the word no; "Gov." does not end a sentence.
        ("HL003", "a.txt", "Voters Say No.\n\nThe count ended.\n", [(1, 14, "HL003")], "Voters Say No\n\nThe count ended.\n"),
        ("HL003", "a.txt", "Gov. Hale Signs Water Bill.\n\nThe bill passed.\n", [(1, 27, "HL003")],
         "Gov. Hale Signs Water Bill\n\nThe bill passed.\n"),
        # Runs of boilerplate go in one fix, leaving one blank line.
        ("BP001", "a.md", "Intro text here.\n\n- Share on Facebook\n- Share on Twitter\n\n## Related Stories\n\nEnd.\n",
         [(3, 3, "BP001"), (4, 3, "BP001"), (6, 4, "BP001")], "Intro text here.\n\nEnd.\n"),
        ("BP001", "a.md", "Intro.\n\n[Read more](https://x.y)\n\n- [Read more](https://x.y)\n\nEnd.\n",
         [(3, 1, "BP001"), (5, 3, "BP001")], "Intro.\n\nEnd.\n"),
        # A wrapped line of a sentence is not a line of its own.
        ("BP001", "a.txt", "The anthology of her early poems, which goes on sale in May, was\n"
         "edited by Ann Lee and Tom Hale.\n", [], None),
        ("BP001", "a.txt", "Edited by his widow, the memoir sold well.\n\nWritten by Jane Doe\n",
         [(3, 1, "BP001")], "Edited by his widow, the memoir sold well.\n"),
        ("BP001", "a.md", "Intro.\n\n## By The Numbers\n\nReporter: Were you scared?\n\nNext?\n\n## Advertising\n",
         [], None),
        # A lower-case line carries on a long line (wrapped prose), not a
        # short one: "reply" under a commenter's name is a line of its own.
        ("BP001", "a.txt", "The council said residents who disagree with the plan can\nreply.\n", [], None),
        ("BP001", "a.txt", "Great piece, thanks for writing it.\nJo Lee\nreply\n\nI disagree with most of this.\n"
         "Sam Park\nreply\n", [(3, 1, "BP001"), (7, 1, "BP001")],
         "Great piece, thanks for writing it.\nJo Lee\n\nI disagree with most of this.\nSam Park\n"),
        # Form fields, comment and like widgets, consent panels, an address
        # hidden from spam robots, advertising links: page furniture.
        ("BP001", "a.txt", "The harbour reopened on Monday after repairs.\n\nName *\nEmail (required)\n"
         "Website (optional)\nΔ\n\nComments powered by Disqus\n\nLike this:\nLike Loading...\n\n"
         "[email protected]\n\nPrivacy Overview\n\nAdvertise with us\n\nPost navigation\n\n"
         "Recommended for you\n",
         [(3, 1, "BP001"), (4, 1, "BP001"), (5, 1, "BP001"), (6, 1, "BP001"), (8, 1, "BP001"), (10, 1, "BP001"),
          (11, 1, "BP001"), (13, 1, "BP001"), (15, 1, "BP001"), (17, 1, "BP001"), (19, 1, "BP001"),
          (21, 1, "BP001")],
         "The harbour reopened on Monday after repairs.\n"),
        ("BP001", "a.txt", "The harbour reopened on Monday.\n\nFiled under\n\nToggle\n\nPost a job\n",
         [(3, 1, "BP001"), (5, 1, "BP001"), (7, 1, "BP001")], "The harbour reopened on Monday.\n"),
        # ... but not the same words in a sentence, or a line that says more.
        ("BP001", "a.txt", "Readers did not like this.\n\nThe form asks for a name (required by law).\n\n"
         "Advertise your business in the new harbour guide.\n\nΔ marks the change in pressure.\n", [], None),
        # A fragment ends its paragraph, and may follow a short sentence.
        ("BP002", "a.txt", "Residents can find the timetable online. Read more\nabout the number 12 route on page 4.\n",
         [], None),
        ("BP002", "a.txt", "The ministry confirmed the revised figures late on Friday in\na statement. Read more\n",
         [(2, 14, "BP002")], "The ministry confirmed the revised figures late on Friday in\na statement.\n"),
        ("BP002", "a.txt", "Nobody was hurt. Read more\n", [(1, 18, "BP002")], "Nobody was hurt.\n"),
        ("BP002", "a.txt", "Her advice to young writers never changed. Read more.\n", [], None),
    ],
)
def test_hl_bp_regressions(code, path, text, expected, fixed):
    assert lint(text, path=path, select=[code]) == expected
    assert fix(text, path=path, select=[code]) == (text if fixed is None else fixed)


@pytest.mark.parametrize(
    ("first", "is_headline"),
    [("Gov. Hale Signs Water Bill.", True), ("Sen. Ortiz Quits Committee.", True),
     ("Why? Because We Said So.", False)],
)
def test_title_abbreviations_do_not_split_a_headline(first, is_headline):
    assert (Document("a.txt", first + "\n\nThe text follows.\n").headline is not None) is is_headline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("欲張りなイヌ ＜福娘童話集 きょうのイソップ童話＞ EX\n\n本文です。\n", []),  # no case: no capitals
        ("PORT STRIKE ENTERS SECOND WEEK\n\nThe strike goes on.\n", [(1, 1, "HL004")]),
        ("Video: 4K/30p with no crop\n", []),  # a camera's specification, not a credit
    ],
)
def test_capitals_need_cased_letters_and_specs_are_not_credits(text, expected):
    code = "BP001" if text.startswith("Video") else "HL004"
    assert lint(text, select=[code]) == expected


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("Photo by the River won the county prize in 1961.", False),
        ("Photo by Joan Rivera/Reuters", True),
        ("Photography by Marta Lind", True),
        ("Sign up for our weekly science newsletter", True),
        ("Share this recipe", True),
        ("Jump to Recipe", True),
        ("Print Recipe", True),
        ("Follow us on Instagram for daily updates", True),
        # Forms, widgets and buttons, whole lines only.
        ("Leave a Reply Cancel reply", True),
        ("Thank you! Your submission has been received!", True),
        ("Oops! Something went wrong while submitting the form.", True),
        ("[ LOADING ]", True),
        ("Loading the ferry took most of the morning.", False),
        ("Back", True),
        ("Back pain is the commonest reason for a day off work.", False),
        ("Follow", True),
        ("Follow the money, the inspector told the committee.", False),
        ("Get Started", True),
        ("Recent Posts", True),
        ("Ad Choices", True),
        ("Topics", True),
        ("Written by", True),
        ("Written by a committee, the report satisfied nobody.", False),
        ("×", True),
        ("Facebook Twitter LinkedIn Email", True),
        ("Facebook | X | WhatsApp", True),
        ("YouTube, TikTok, X", False),
        ("Facebook, Instagram", False),
        ("Share: Facebook • X • LinkedIn", True),
        ("Facebook • Pinterest • WhatsApp • Email", True),
        # A reading time, a post's age; a date alone may be the article's own.
        ("5-minute read", True),
        ("3 hours ago", True),
        ("2h ago", True),
        ("March 25, 2015", False),
        # Comment widgets, feedback widgets, promos.
        ("Reply · 14 likes", True),
        ("Load more comments", True),
        ("Sort by: Top", True),
        ("Was this article helpful?", True),
        ("More from The Fieldnote", True),
        ("MORE FROM PIXELFRONT", True),
        ("More on that later.", False),
        ("More from Ms Hale:", False),
        ("More from the interview", False),
        ("More in sorrow than in anger.", False),
        ("A week ago.", False),
        ("Cite this article", True),
        ("Story continues below", True),
        # Sharing and saving, by any network.
        ("Share on Bluesky", True),
        ("Share this forecast", True),
        ("Share prices", False),
        ("Post to Facebook", True),
        ("Send on WhatsApp", True),
        ("Email this piece", True),
        ("Tell a friend", False),
        ("Copy the link", False),
        ("Copy link", True),
        ("Send it by email.", False),
        ("Share this folder.", False),
        ("Save it for later.", False),
        ("Save for later", True),
        ("Add to reading list", True),
        ("View comments (87)", True),
        ("View comments (1,204)", True),
        # A buying guide's buttons.
        ("Check price at Ridgeway Outdoor", True),
        ("See latest price", True),
        ("Compare prices", False),
        ("Get the best deals", False),
        ("Shop now", False),
        ("Order online", False),
        ("See deal at Campfirst", True),
        ("Buy now", True),
        ("Buy on Amazon", False),
        ("Compare prices before you sign anything.", False),
        # Bylines, credits and time stamps.
        ("Interview by Kit Adebayo-Walsh", True),
        ("Interview by Zoom.", False),
        ("Reviewed by NICE", False),
        ("Photography: 14", False),
        ("Words: Liberty", False),
        ("By Monday, the council had voted twice.", False),
        ("By New Year, a new editor.", False),
        ("Jo Lee, BBC diplomatic correspondent", False),
        ("Published 09:12, 21 May 2025", True),
        ("Published 06:10 BST, Sunday 11 May 2025", True),
        # a date and a time alone may be a step of a timeline or a listing
        ("Sat 8 Nov 2025 19.30 GMT", False),
        ("March 3, 2024 at 4:15 pm", False),
        # Topics, promos and inboxes.
        ("Explore more on these topics", True),
        ("Topics in this story", True),
        ("Filed in", True),
        ("Most viewed", True),
        ("Most popular in Wales", False),
        ("Reuse this content", True),
        ("Get local news straight to your inbox", True),
        ("Subscribe to the digest", True),
        ("Subscribe to the bulletin", False),
        ("Sign up for the flood alerts.", False),
        ("Have your bills sent to your inbox.", False),
        ("Get alerts sent straight to your inbox when the river rises.", False),
        ("Stay in touch", False),
    ],
)
def test_boilerplate_lines_between_paragraphs(line, flagged):
    para = "The council met on Monday and voted to close the library after a long debate about costs."
    text = f"{para}\n\n{line}\n\n{para}\n"
    assert lint(text, select=["BP001"]) == ([(3, 1, "BP001")] if flagged else [])


_STORY = (
    "The harbour board approved the new ferry timetable on Tuesday after a public consultation that drew "
    "more than four hundred responses from residents and local businesses.\n\n"
    "Services will run every twenty minutes at peak times from next month, and the board said it would "
    "review the timetable again after the summer season.\n"
)


def test_page_chrome_markdown_link_list_before_the_story():
    """A Markdown menu of links above the front matter's story: one finding
    from the first item to the last, and the unsafe fix leaves the story."""
    menu = "".join(f"- [{label}](/{label.lower()})\n" for label in
                   ("Home", "Politics", "Business", "Science", "Culture", "Opinion", "Podcasts", "Newsletters"))
    text = "---\ntitle: Ferry Timetable Approved\n---\n\n" + menu + "\n" + _STORY
    assert lint(text, path="a.md", select=["BP004"]) == [(5, 3, "BP004")]
    assert fix(text, path="a.md", select=["BP004"], unsafe=True) == (
        "---\ntitle: Ferry Timetable Approved\n---\n\n" + _STORY)
    assert fix(text, path="a.md", select=["BP004"]) == text  # unsafe: not applied by default


def test_page_chrome_min_lines_from_config():
    footer = "Share\nTweet\nEmail\nPrint\nSubscribe\n"
    text = "Ferry Timetable Approved\n\n" + _STORY + "\n" + footer
    assert lint(text, select=["BP004"]) == []
    config = {"bp": {"chrome-min-lines": 5}}
    assert lint(text, select=["BP004"], config=config) == [(7, 1, "BP004")]


def test_page_chrome_needs_a_body():
    """Only short lines: there is no article to stand outside of."""
    text = "".join(f"{label}\n" for label in ("Home", "News", "Sport", "Weather", "Subscribe", "Sign in",
                                               "Search", "Menu", "Contact us", "Privacy Policy"))
    assert lint(text, select=["BP004"]) == []


_COLOURS = ("Red", "Blue", "Green", "Amber", "Slate", "Ivory", "Coral", "Olive", "Black", "White", "Grey", "Pink",
            "Teal", "Gold", "Plum", "Rust", "Sand")


def _long_footer(known: list[str], colours: int = 17) -> str:
    """A site footer of 15 product names for each of ``colours`` colours
    (255 lines at most), with the known furniture lines spread through it."""
    names = [f"{colour} {thing}" for colour in _COLOURS[:colours]
             for thing in ("Kettles", "Lamps", "Chairs", "Rugs", "Mirrors", "Vases", "Clocks", "Shelves",
                           "Stools", "Frames", "Baskets", "Trays", "Jugs", "Bowls", "Candles")]
    step = len(names) // len(known)
    for i, label in enumerate(known):
        names.insert(i * step + i, label)
    return "".join(f"{line}\n" for line in names)


def test_page_chrome_long_footer_with_few_known_lines_at_the_end_of_the_page():
    """Fewer than one known line in sixty (4 in 259), but four of them and
    nothing but the page beyond: the footer is reported from the first known
    line."""
    story = "\n".join([_STORY] * 4)  # enough prose for the language guess among 124 names
    text = "Ferry Timetable Approved\n\n" + story + "\n" + _long_footer(
        ["Privacy Policy", "Contact us", "Terms of Use", "Newsletter"])
    assert lint(text, select=["BP004"]) == [(19, 1, "BP004")]
    assert fix(text, select=["BP004"], unsafe=True) == "Ferry Timetable Approved\n\n" + story


def test_page_chrome_long_list_with_three_known_lines_is_the_articles():
    """Fewer than one known line in sixty (3 in 258), and no more than
    three: a long list of the article's with a stray few menu words."""
    story = "\n".join([_STORY] * 4)
    text = "Ferry Timetable Approved\n\n" + story + "\n" + _long_footer(["Privacy Policy", "Contact us", "Terms of Use"])
    assert lint(text, select=["BP004"]) == []


def test_page_chrome_footer_with_three_known_lines_in_a_hundred():
    """Three known lines in 123, nothing beyond: a footer of links."""
    story = "\n".join([_STORY] * 4)
    text = ("Ferry Timetable Approved\n\n" + story + "\n"
            + _long_footer(["Privacy Policy", "Contact us", "Terms of Use"], colours=8))
    assert lint(text, select=["BP004"]) == [(19, 1, "BP004")]


def test_page_chrome_long_list_with_prose_beyond_it_is_the_articles():
    story = "\n".join([_STORY] * 4)
    text = ("Ferry Timetable Approved\n\n" + story + "\n"
            + _long_footer(["Privacy Policy", "Contact us", "Terms of Use", "Newsletter"]) + "\n" + story)
    assert lint(text, select=["BP004"]) == []


@pytest.mark.parametrize(("config", "message"), [
    ({"extra-lines": ["sponsored by", "foo("]},
     "[bp] extra-lines[1]: invalid regular expression 'foo(': missing ), unterminated subpattern at position 3"),
    ({"extra-fragments": [r"(\w+\s?)+$"]},
     r"[bp] extra-fragments[0]: the regular expression '(\\w+\\s?)+$' can backtrack exponentially"),
])
def test_bad_extra_patterns_are_config_errors(tmp_path, config, message):
    """A broken or exponential pattern of the config is an error when the
    config is read, not a rule failing (or hanging) on every file."""
    from artlint.config import ConfigError

    with pytest.raises(ConfigError) as err:
        settings({"bp": config}, select=["BP"])
    assert message in str(err.value)


_GUIDE_INTRO = ("Good boots decide whether a long day on the hills is a pleasure or a slog, and the choice "
                "has never been wider than it is this spring.")
_GUIDE_SECTIONS = ("1. Alpine Trekker GTX\n\nA stiff sole and a wide toe box suit long descents.\n\n"
                   "2. Ridgeway Lite\n\nThe lightest pair we tried weighs 640 grams.\n\n"
                   "3. Fellrunner Mid\n\nIt drains quickly after a river crossing.\n\n"
                   "How We Tested\n\nFour testers walked 300 kilometres in each pair.\n")


@pytest.mark.parametrize(
    ("text", "path", "config", "expected"),
    [
        # A guide opens its main section with the headline: a section heading.
        ("Best Walking Boots of the Year\n\n" + _GUIDE_INTRO + "\n\nBest Walking Boots of the Year\n\n"
         + _GUIDE_SECTIONS, "a.txt", None, []),
        # The same with Markdown headings.
        ("# Best Walking Boots of the Year\n\n" + _GUIDE_INTRO + "\n\n## Best Walking Boots of the Year\n\n"
         "## Alpine Trekker GTX\n\nStiff.\n\n## Ridgeway Lite\n\nLight.\n\n## How We Tested\n\nWalked.\n",
         "a.md", None, []),
        # ... unless the option is 0.
        ("Best Walking Boots of the Year\n\n" + _GUIDE_INTRO + "\n\nBest Walking Boots of the Year\n\n"
         + _GUIDE_SECTIONS, "a.txt", {"hl": {"section-headings": 0}}, [(5, 1, "HL001")]),
        # Before any prose, a repeat is a duplicate even in a sectioned article.
        ("Best Walking Boots of the Year\n\nUpdated in May\n\nBest Walking Boots of the Year\n\n"
         + _GUIDE_INTRO + "\n\n" + _GUIDE_SECTIONS, "a.txt", None, [(5, 1, "HL001")]),
        # Two headings are not enough to make an article sectioned (bullets and
        # sentences are not headings).
        ("Best Walking Boots of the Year\n\n" + _GUIDE_INTRO + "\n\nBest Walking Boots of the Year\n\n"
         "Alpine Trekker GTX\n\nA stiff sole.\n\n- Waterproof lining\n\n- Vibram sole\n\n"
         "Is it worth the money?\n\nHow We Tested\n\nFour testers.\n", "a.txt", None, [(5, 1, "HL001")]),
    ],
)
def test_headline_heading_a_section_is_not_a_repeat(text, path, config, expected):
    assert lint(text, path=path, config=config, select=["HL001"]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One byline from the page chrome is boilerplate ...
        ("Storm Closes Ferry Routes\n\nBy Ann Lee\n\nThe ferries stayed in port all day.\n", [(3, 1, "BP001")]),
        # ... the same byline twice is still one byline ...
        ("Storm Closes Ferry Routes\n\nBy Ann Lee\n\nThe ferries stayed in port.\n\nBy Ann Lee\n",
         [(3, 1, "BP001"), (7, 1, "BP001")]),
        # ... but credits naming several people belong to a roundup's entries.
        ("Books of the Month\n\nThe Salt Road\n\nAuthor: Mira Okafor\n\nA debut about a smuggling family.\n\n"
         "Winter Orchard\n\nAuthor: Tom Hale\n\nQuiet, and very good.\n", []),
        ("This Week in Science\n\nBees count to four\n\nBy Ann Lee\n\nA new study says so.\n\n"
         "Comets on the move\n\nBy Raj Patel\n\nTwo were seen.\n\nPublished March 3, 2024\n", [(15, 1, "BP001")]),
        # A watch in a kit list is a thing; "WATCH:" over a video is a label.
        ("What to Pack for a Day Hike\n\nCompass\n\nWatch\n\nA phone with offline maps\n", []),
        ("Late Goal Settles Derby\n\nThe winner came in the 90th minute.\n\nWATCH:\n\nThe crowd went wild.\n",
         [(5, 1, "BP001")]),
        ("Late Goal Settles Derby\n\nThe winner came late.\n\nWatch the video\n", [(5, 1, "BP001")]),
    ],
)
def test_bylines_of_a_roundup_and_bare_words(text, expected):
    assert lint(text, select=["BP001"]) == expected


_FERRY_STORY = ("Harbour Board Approves New Ferry Timetable\n\n"
          "The harbour board approved the new ferry timetable on Tuesday after a public consultation that "
          "drew more than four hundred responses from residents and local businesses.\n\n"
          "Services will run every twenty minutes at peak times from next month, and the board said it would "
          "review the timetable again after the summer season.\n\n")
_THREAD = ("Mara Quinn\nMarch 3, 2024 at 4:15 pm\nFinally! The old timetable never matched the trains.\nReply\n"
           "Tom Hale\nMarch 3, 2024 at 6:02 pm\nTwenty minutes is still too long in the rush hour.\nReply\n"
           "Ines Ortega\nMarch 4, 2024 at 8:40 am\nWill the night service stay as it is?\nReply\n")


@pytest.mark.parametrize(
    ("text", "expected", "fixed"),
    [
        # Comments pasted under the story: one finding from the first
        # commenter's name to the last comment.
        (_FERRY_STORY + _THREAD, [(7, 1, "BP004")], _FERRY_STORY[:-1]),
        # Relative times ("2 days ago") head comments too.
        (_FERRY_STORY + _THREAD.replace("March 3, 2024 at 4:15 pm", "2 days ago")
         .replace("March 3, 2024 at 6:02 pm", "2 days ago").replace("March 4, 2024 at 8:40 am", "1 day ago"),
         [(7, 1, "BP004")], _FERRY_STORY[:-1]),
        # Two comments are not a thread.
        (_FERRY_STORY + _THREAD.split("Ines")[0], [], None),
        # A timeline (dates over paragraphs) and a live blog (times alone)
        # are the article's.
        (_FERRY_STORY + "March 3, 2024\n\nThe consultation opened with a public meeting at the town hall.\n\n"
         "March 10, 2024\n\nA second meeting was held for the island's residents.\n\n"
         "March 17, 2024\n\nThe board published the responses on its website.\n", [], None),
        (_FERRY_STORY + "10:45 a.m.\n\nThe first ferry left on time.\n\n11:05 a.m.\n\nThe second was full.\n\n"
         "11:25 a.m.\n\nPassengers praised the new service.\n", [], None),
        # Comments with no article before them are not comments on one.
        (_THREAD, [], None),
    ],
)
def test_a_comment_thread_after_the_article(text, expected, fixed):
    assert lint(text, select=["BP004"]) == expected
    assert fix(text, select=["BP004"], unsafe=True) == (text if fixed is None else fixed)


_HARBOUR = "The harbour board approved the new ferry timetable on Tuesday after a long consultation with residents."
_NEXT = "\n\nServices will run every twenty minutes at peak times from next month and the board will review it.\n"


@pytest.mark.parametrize("after", ["\u00a0", "   ", "\t", " " * 320, "\n\u00a0", "\r"])
def test_fragment_before_white_space_at_the_end_of_its_paragraph(after):
    """BP002 finds 'Read more' whatever white space follows it to the end
    of its paragraph (a no-break space, spaces, a tab, a line of a no-break
    space), and its finding and fix stop at the fragment's last letter."""
    text = _HARBOUR + " Read more" + after + _NEXT
    assert lint(text, select=["BP002"]) == [(1, 105, "BP002")]
    assert fix(text, select=["BP002"]) == _HARBOUR + after + _NEXT


def test_wrapped_prose_line_starting_with_a_name_is_not_split_off():
    """Hard-wrapped prose: a line that starts with a capital after a line
    that ends in an ordinary word, and is longer than a label, carries the
    sentence on: BP001 does not take 'Reuters via email: ...' for a credit."""
    text = ("Harbour Board Faces Questions\n\n"
            "A spokesperson for the company, who asked not to be named, later told\n"
            "Reuters via email: \"We have nothing further to add at this stage.\"\n")
    assert lint(text, select=["BP001"]) == []


@pytest.mark.parametrize("sentence", [
    "\"We will receive compensation, but it will never bring back what we lost,\" one resident told us.",
    "Staff will earn a commission on every car they sell, the manager told us, but there are fewer buyers.",
])
def test_sentences_about_commissions_are_no_affiliate_disclosure(sentence):
    text = "Car Dealers Struggle\n\n" + sentence + "\n\nSales fell for a third month in a row, the figures show.\n"
    assert lint(text, select=["BP001"]) == []


def test_page_chrome_before_the_body_keeps_the_headline_and_date_above_it():
    menu = "".join(f"{w}\n" for w in ("Home", "News", "Sport", "Weather", "Subscribe", "Sign in", "Search", "Menu"))
    head = "Ferry Timetable Approved After Consultation\nMarch 3, 2024\n"
    story = _STORY.replace("\n\n", "\n")
    text = menu + head + story
    assert lint(text, select=["BP004"]) == [(1, 1, "BP004")]
    assert fix(text, select=["BP004"], unsafe=True) == head + story


_MENU = "".join(f"{w}\n" for w in ("Home", "News", "Sport", "Weather", "Subscribe", "Sign in", "Search", "Menu"))


@pytest.mark.parametrize(
    ("head", "kept"),
    [
        # The byline, date and share buttons under the headline are
        # reported on their own; the headline stays.
        ("Ferry Timetable Approved After Consultation\nBy Ana Ruiz\nMarch 3, 2024 at 9:15 am\n"
         "Share\nFacebook\nTwitter\nEmail\n",
         "Ferry Timetable Approved After Consultation\n"),
        # A standfirst of ten words or more under a shorter headline stays
        # with it; a byline may be a name and a role without "By".
        ("Ferry timetable approved after vote\n"
         "Twenty-minute peak services, new Sunday timetable and cheaper season tickets from next month\n"
         "Ana Ruiz, Transport Reporter\nTuesday 5 March 2024\nShare on Facebook\nShare on X\nSave article\n",
         "Ferry timetable approved after vote\n"
         "Twenty-minute peak services, new Sunday timetable and cheaper season tickets from next month\n"),
    ],
)
def test_page_chrome_before_the_body_leaves_the_headline_between_two_findings(head, kept):
    story = _STORY.replace("\n\n", "\n")
    text = _MENU + head + story
    headline_lines = kept.count("\n")
    assert lint(text, select=["BP004"]) == [(1, 1, "BP004"), (9 + headline_lines, 1, "BP004")]
    assert fix(text, select=["BP004"], unsafe=True) == kept + story


def test_page_chrome_menu_items_above_the_body_are_no_headline():
    """Without a byline, a date or a share button under it, a longer line
    at the end of a menu is one of its items, and the run takes it."""
    text = _MENU + "Planning and Development Committee\nContact the Council\nMy Account\n" + _STORY.replace("\n\n", "\n")
    assert lint(text, select=["BP004"]) == [(1, 1, "BP004")]
    assert fix(text, select=["BP004"], unsafe=True) == _STORY.replace("\n\n", "\n")


def test_page_chrome_headline_over_a_table_of_contents_stays():
    """A table of contents under the byline is passed over to the headline,
    and is a sign of one: the byline alone ("Ana Ruiz") is not."""
    head = ("Ferry Timetable Approved After Consultation\nAna Ruiz\nIn this article\n"
            "What the new timetable changes\nWho decided and how they voted\nWhat comes next for the harbour\n")
    story = _STORY.replace("\n\n", "\n")
    text = _MENU + head + story
    assert lint(text, select=["BP004"]) == [(1, 1, "BP004"), (10, 1, "BP004")]
    # The sections' titles are left to the article, as a list next to the
    # body is (see _HEAD_LINES).
    assert fix(text, select=["BP004"], unsafe=True) == "Ferry Timetable Approved After Consultation\n" + head.split(
        "In this article\n")[1] + story


@pytest.mark.parametrize(
    ("head", "kept"),
    [
        # A standfirst under a headline as long as it: both stay.
        ("Council Approves Twenty Million Pound Plan To Rebuild The Old Harbour Wall\n"
         "Work on the wall starts in spring and takes two years\nBy Ana Ruiz\nMarch 3, 2024\nShare\n",
         "Council Approves Twenty Million Pound Plan To Rebuild The Old Harbour Wall\n"
         "Work on the wall starts in spring and takes two years\n"),
        # A photo's caption over its credit is no standfirst.
        ("Ferry Timetable Approved After Consultation\nBy Ana Ruiz\nMarch 3, 2024 at 9:15 am\n"
         "The new ferry leaves the harbour on its first run\nPhoto: Getty Images\n",
         "Ferry Timetable Approved After Consultation\n"),
        # A table of contents under the headline, in the site menu: the walk
        # from the body finds the headline first.
        ("Jump to\nFerry Timetable Approved After Consultation\nBy Ana Ruiz\nShare\n",
         "Ferry Timetable Approved After Consultation\n"),
        # A byline with a date, however long, is a sign; a byline in three
        # lines ("By" / name / role) is passed over.
        ("Ferry Timetable Approved After Consultation\n"
         "By Ana Ruiz and Tom Lee, Transport Desk · Posted March 3, 2024 at 9:15 am · Updated March 4\n"
         "Share\n",
         "Ferry Timetable Approved After Consultation\n"),
        ("Ferry Timetable Approved After Consultation\nBy\nAna Ruiz\nTransport Writer\nMarch 3, 2024\nShare\n",
         "Ferry Timetable Approved After Consultation\n"),
        # A headline with a comma is no name and role ("Ana Ruiz, Reporter").
        ("Ferry Timetable Approved, Fares Frozen\n"
         "Twenty-minute peak services and cheaper season tickets from next month.\nBy Ana Ruiz\nMarch 3, 2024\n"
         "Share\n",
         "Ferry Timetable Approved, Fares Frozen\n"
         "Twenty-minute peak services and cheaper season tickets from next month.\n"),
        # A headline of three words is passed over; the walk meets the
        # sign-in button above it and the run is reported whole, as before,
        # rather than keep the menu's "Planning and Development Committee".
        ("Planning and Development Committee\nSign in\nFerry Fares Rise\nBy Ana Ruiz\nShare\n", ""),
    ],
)
def test_page_chrome_headline_search_keeps_the_headline_or_nothing(head, kept):
    story = _STORY.replace("\n\n", "\n")
    text = _MENU + head + story
    fixed = fix(text, select=["BP004"], unsafe=True)
    assert fixed == kept + story
    assert fix(fixed, select=["BP004"], unsafe=True) == fixed


def test_page_chrome_menu_line_with_a_bar_is_no_byline():
    """"Sign In | Register" is no name and role: with no byline, date or
    share button under it, the run holds no headline and goes whole."""
    text = ("Home\nNews\nSport\nWeather\nThe Harbour Gazette Since 1887\nSubscribe\nSign In | Register\n"
            "Search\nMenu\n" + _STORY.replace("\n\n", "\n"))
    assert lint(text, select=["BP004"]) == [(1, 1, "BP004")]


def test_page_chrome_walk_does_not_climb_through_a_menu():
    """Above the byline, more than two lines that are no sign are a menu:
    the run holds no headline the walk can trust, and goes whole."""
    text = ("Skip to content\nYour Local News Since 1887\nHome\nFerries\nHarbour Life\nLifeboats\nSearch\nMenu\n"
            "Ferry Fares Rise\nBy Ana Ruiz\nMarch 3, 2024\nShare\n" + _STORY.replace("\n\n", "\n"))
    assert lint(text, select=["BP004"]) == [(1, 1, "BP004")]


def test_page_chrome_menu_of_unknown_labels_above_the_headline_is_still_reported():
    """The part above the headline holds no known line, but the run did:
    it is reported, and the headline stays."""
    menu = "".join(f"{w}\n" for w in ("Harbour Gazette", "Ferries", "Harbour", "Council", "Schools", "Fishing",
                                      "Lifeboats", "Tides"))
    story = _STORY.replace("\n\n", "\n")
    text = menu + "Ferry Timetable Approved After Consultation\nBy Ana Ruiz\nMarch 3, 2024\nShare\nFacebook\nTwitter\n" + story
    assert lint(text, select=["BP004"]) == [(1, 1, "BP004"), (10, 1, "BP004")]
    assert fix(text, select=["BP004"], unsafe=True) == "Ferry Timetable Approved After Consultation\n" + story


def test_page_chrome_split_run_and_its_known_lines_are_all_fixed():
    """With BP001 on, the known lines at the top of the run have fixes of
    their own that start where the run does: the run's fix holds them and is
    taken, so no remnant of the menu is left too short to report."""
    text = ("Home\nNews\nSport\nWeather\nSubscribe\nSign in\nFacebook\nTwitter\nInstagram\n"
            "Ferry Timetable Approved After Consultation\nAna Ruiz, Transport Reporter\nTuesday 5 March 2024\n"
            "Share on Facebook\nShare on X\n")
    story = _STORY.replace("\n\n", "\n")
    assert fix(text + story, select=["BP001", "BP004"], unsafe=True) == (
        "Ferry Timetable Approved After Consultation\n" + story)


_FOOTER = ("Share this article\nFacebook\nWhatsApp\nLinkedIn\nPrint\nMore from News\nSign up for our newsletter\n"
           "Privacy Policy\nTerms of Use\n© 2025 The Harbour Gazette\n")


@pytest.mark.parametrize(
    "table",
    [
        # A results table whose "Share" column heads the vote shares.
        "Final result\nCandidate\nParty\nVotes\nShare\nAna Ruiz\nHarbour First\n31,208\n44.1%\n"
        "Tom Hale\nCivic Alliance\n29,796\n42.1%\nMara Quinn\nGreen\n7,415\n10.5%\n",
        # A box score and a table of standings, each under a "Team" heading.
        "Box score\nTeam\n1\n2\n3\n4\nF\nHarbour\n14\n18\n12\n15\n59\nRidgeview\n16\n10\n15\n18\n59\n"
        "Conference standings\nTeam\nW\nL\nHarbour\n10\n1\nRidgeview\n9\n2\n",
    ],
)
def test_page_chrome_a_table_of_the_articles_next_to_the_footer_stays(table):
    """A known word among the cells of a table ("Share", "Team") is the
    table's label, not the page's: the run starts at the footer."""
    story = _STORY.replace("\n\n", "\n")
    text = story + table + _FOOTER
    footer_line = (story + table).count("\n") + 1
    assert lint(text, select=["BP004"]) == [(footer_line, 1, "BP004")]
    assert fix(text, select=["BP004"], unsafe=True) == story + table


def test_page_chrome_a_reading_list_next_to_the_footer_stays():
    """Entries of a reading list ending with the year of the work are no
    menu items: the run is not taken on over them towards the body."""
    story = _STORY.replace("\n\n", "\n")
    reading = ("Books and reports on ferry towns\nThe Quiet Harbours: A History of Ferry Towns\nHalden & Rusk, 2022\n"
               "Timetables and Tides\nCoastal Transport Review (2019)\n")
    text = story + reading + _FOOTER
    assert lint(text, select=["BP004"]) == [((story + reading).count("\n") + 1, 1, "BP004")]
    assert fix(text, select=["BP004"], unsafe=True) == story + reading


def test_page_chrome_counts_above_a_word_are_not_its_column():
    """Numbers above a known word ("Share" under the counts of a post's
    likes, comments and shares) are not a column it heads: it stays page
    furniture."""
    story = _STORY.replace("\n\n", "\n")
    head = ("Subscribe\nSign in\nFerry Timetable Approved After Consultation\nBy Ana Ruiz\nMarch 3, 2024\n"
            "133\n8\n12\nShare\n")
    footer = "Share\nComments\nRestacks\nShare\nPrivacy Policy\nTerms of Use\n© 2025 Harbour Notes\n"
    text = head + story + footer
    assert lint(text, select=["BP004"]) == [(1, 1, "BP004"), (4, 1, "BP004")]
    assert fix(text, select=["BP004"], unsafe=True) == (
        "Ferry Timetable Approved After Consultation\n" + story + footer)


def test_page_chrome_a_buying_guides_buttons_do_not_make_its_list_chrome():
    """The buttons by each product of a buying guide ("Check price at …",
    "Buy now") are reported by BP001 one by one, but they do not make the
    products' list a run of page chrome."""
    story = _STORY.replace("\n\n", "\n")
    items = "".join(f"Best for {use}:\nCheck price at Ridgeway Outdoor\nHarbour {name} Stove\n"
                    f"Light • Quick to boil • Stable on rock\nBuy now\n"
                    for use, name in (("beginners", "Trail"), ("groups", "Basecamp"), ("winter", "Alpine")))
    text = story + items
    assert lint(text, select=["BP004"]) == []
    assert [code for _, _, code in lint(text, select=["BP001"])] == ["BP001"] * 6


def test_bp001_matching_by_first_character_answers_as_the_whole_alternation():
    """BP001 tries a line only against the patterns that can start with its
    first character: the match (its category and span) is the one the
    whole alternation finds, on every line of the fixtures and the written
    pages, and on lines starting with a digit of another script or nothing."""
    from conftest import FIXTURES, ROOT

    from artlint.rules import bp

    groups = [(group, list(patterns)) for group, _, patterns in bp._line_groups(())]
    whole = bp._alternation(groups)
    long_groups = [(g, [p for p in ps if bp._max_width(p) > bp._LONG_LINE]) for g, ps in groups]
    whole_long = bp._alternation(long_groups)
    by_char, by_char_long = bp._line_patterns(())[0], bp._long_line_pattern(())
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.*")) if p.suffix in (".txt", ".md")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "benchmarks" / "pages").glob("written-*/raw/*.txt"))]
    lines = {bp.normalise_line(line) for text in texts for line in text.split("\n")}
    lines |= {"", "٣ comments", "٣ min read", "12 shares", "© 2024 the gazette. all rights reserved"}
    matched = 0
    for line in lines:
        for fast, slow in ((by_char, whole), (by_char_long, whole_long)):
            a, b = fast.fullmatch(line), slow.fullmatch(line)
            assert (a and (a.lastgroup, a.span())) == (b and (b.lastgroup, b.span())), line
            matched += b is not None
    assert matched > 500


def test_page_chrome_three_tables_with_the_same_column_stay():
    """Three results tables, each with a "Share" column: the word is each
    table's label, however often the article repeats it."""
    story = _STORY.replace("\n\n", "\n")
    table = ("Candidate\nParty\nVotes\nShare\nAna Ruiz\nHarbour First\n31,208\n44.1%\n"
             "Tom Hale\nCivic Alliance\n29,796\n42.1%\n")
    tables = "".join(f"Ward {n}\n" + table for n in (1, 2, 3))
    text = story + tables + _FOOTER
    footer_line = (story + tables).count("\n") + 1
    assert lint(text, select=["BP004"]) == [(footer_line, 1, "BP004")]


@pytest.mark.parametrize(
    ("page", "first"),
    [
        # The numbers of the pages are no table: "Previous" and "Next" are
        # the site's navigation.
        ("{story}Previous\n1\n2\n3\n4\nNext\nHome\nAbout\nContact\nPrivacy\n", "Previous"),
        # Language codes above a menu are not the cells of a column it heads.
        ("EN\nFR\nDE\nHome\nNews\nEurope\nBusiness\nSearch\n{story}", "EN"),
    ],
)
def test_page_chrome_page_numbers_and_language_codes_are_no_table(page, first):
    story = _STORY.replace("\n\n", "\n")
    text = page.format(story=story)
    line = text.split("\n").index(first) + 1
    assert lint(text, select=["BP004"]) == [(line, 1, "BP004")]


def test_page_chrome_reading_list_of_old_works_stays():
    story = _STORY.replace("\n\n", "\n")
    reading = ("Books on the old harbour\nA Voyage Round the Coast\nJ. Mercer, 1770\n"
               "Tides and Their Keepers\nW. Hale, 1759\n")
    text = story + reading + _FOOTER
    assert lint(text, select=["BP004"]) == [((story + reading).count("\n") + 1, 1, "BP004")]


def test_a_false_byline_does_not_hide_the_real_one():
    """A subheading that reads like a credit is no second byline: the page's
    byline is still reported."""
    para = "The council met on Monday and voted to close the library after a long debate about costs."
    text = f"Library Closes\n\nBy Ana Ruiz\n\n{para}\n\nInterviewed by Police\n\n{para}\n"
    assert lint(text, select=["BP001"]) == [(3, 1, "BP001")]


def test_a_copyright_line_with_a_name_is_a_copyright_line():
    para = "The council met on Monday and voted to close the library after a long debate about costs."
    doc, diags = diagnostics(f"Library Closes\n\n{para}\n\nBy Ana Ruiz All Rights Reserved\n", select=["BP001"])
    assert [(doc.position(d.span.start)[0], d.message) for d in diags] == [
        (5, "Boilerplate (cookies and legal): 'By Ana Ruiz All Rights Reserved'")]


def test_a_timeline_of_dates_and_times_is_no_comment_thread():
    """A date and a time alone over each paragraph, under the story's prose:
    the steps of a timeline, not the headers of reader comments."""
    steps = "".join(f"June 6, 1944 at {t}\n\n{what}\n\n" for t, what in (
        ("00:16 am", "The first gliders land beside the bridge over the canal, and the bridge is taken."),
        ("6:30 am", "American troops begin landing on the two western beaches under heavy fire."),
        ("7:25 am", "British and Canadian forces land on the three eastern beaches as the tide rises."),
    ))
    text = _FERRY_STORY + steps
    assert lint(text, select=["BP004"]) == []


def test_a_blogs_comments_under_lower_case_names_are_a_thread():
    thread = "".join(f"{name} says:\n{when}\n{comment}\n" for name, when, comment in (
        ("harbourwatcher", "March 3, 2024 at 4:15 pm", "Finally! The old timetable never matched the trains."),
        ("tomhale99", "March 3, 2024 at 6:02 pm", "Twenty minutes is still too long in the rush hour."),
        ("ines.o", "March 4, 2024 at 8:40 am", "Will the night service stay as it is?"),
    ))
    text = _FERRY_STORY + thread
    assert lint(text, select=["BP004"]) == [(7, 1, "BP004")]
    assert fix(text, select=["BP004"], unsafe=True) == _FERRY_STORY[:-1]


@pytest.mark.parametrize(("under", "flagged"), [
    ("Ana Ruiz\nHarbour First\n31,208\n44.1%\n", False),  # the column of vote shares
    ("Tom Hale\n29,796\n42.1%\n", False),
    ("Facebook\nX\nEmail\n", True),  # a share bar's buttons
    ("133 likes\n8 comments\n", True),
])
def test_a_word_over_the_cells_of_a_table_is_the_tables(under, flagged):
    para = "The council met on Monday and voted to close the library after a long debate about costs."
    text = f"Ward Result\n\n{para}\n\nCandidate\nVotes\nShare\n{under}\n{para}\n"
    share = text.split("\n").index("Share") + 1
    assert ((share, 1, "BP001") in lint(text, select=["BP001"])) is flagged
