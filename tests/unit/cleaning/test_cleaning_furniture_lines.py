"""Lines of site furniture that the visible text of the extraction benchmark's pages left inside
their articles until 2026-12-07 (each from a real page: share buttons, photo credits, a byline's
pieces, newsletter boxes, legal footers, affiliate disclosures, BBC's image labels), and sentences
of articles that only resemble them, which stay."""
from __future__ import annotations

import pytest

from pipeline.cleaning import clean
from pipeline.cleaning.rules import Rules
from schemas.models import RawArticle

ABOVE = "The council voted on Tuesday to approve the new budget after a long debate."
BELOW = "The mayor said the plan would be reviewed again in the spring by the committee."


def _kept(line: str) -> list[str]:
    return Rules.load().clean_lines([ABOVE, line, BELOW])[0]


@pytest.mark.parametrize("line", [
    "Advert",
    "Click to share on Twitter (Opens in new window)",
    "Click to email this to a friend (Opens in new window)",
    "Share to facebook",
    "Image copyright",
    "Media playback is unsupported on your device",
    "Alex Wong | Getty Images",
    "Natalie Naccache | Bloomberg | Getty Images",
    "Al Goldis, Associated Press",
    "New York State Sex Offender Registry via AP",
    "Getty",
    "Associated Press",
    "The Associated Press",
    "Detroit News wire services",
    "By",
    "@catherineshu",
    "Opinion Columnist",
    "Contributing Writer",
    "Image 1 of 5",
    "1 of 6",
    "2 days",
    "blog comments powered by Disqus",
    "No comments yet",
    "Follow RT on",
    "Terms of Service",
    "Privacy Notice",
    "Privacy Policy | Terms of Service",
    "Registration on or use of this site constitutes acceptance of our User Agreement and Privacy Policy",
    "The material on this site may not be reproduced, distributed, transmitted, cached or otherwise used, "
    "except with the prior written permission of NJ.com.",
    "This document is subject to copyright. Apart from any fair dealing for the purpose of private study or "
    "research, no",
    "This site is protected by recaptcha Privacy Policy | Terms of Service",
    "No spam, we promise. You can unsubscribe at any time and we'll never share your details without your "
    "permission.",
    "Thanks for signing up!",
    "You have been successfully subscribed!",
    "Microsoft may earn an Affiliate Commission if you purchase something through recommended links in this article.",
    "Sometimes we include links to online retail stores. If you click on one and make a purchase we may receive a "
    "small commission.",
    "CLICK HERE TO GET THE FOX NEWS APP",
    "Do you rely on Snopes reporting? Click here to support it.",
    "Subscribe to AppleInsider on YouTube",
    "Subscribe to 9to5Mac on YouTube for more Apple news:",
    "Facebook Twitter WhatsApp Email",
    "Facebook | Twitter",
    "Get short URL",
    "Read Later",
])
def test_furniture_of_real_pages_goes(line):
    assert _kept(line) == [ABOVE, BELOW]


@pytest.mark.parametrize("line", [
    "The Associated Press reported that the talks had stalled.",
    "By the end of the day, the fire had been contained.",
    "Two days later, the minister resigned.",
    "Customers can unsubscribe at any time, the regulator said.",
    "Thank you for signing up so many volunteers, the mayor told the crowd.",
    "The agent said he may earn a commission of 3% on the sale of the house.",
    "The privacy policy was changed in 2018, the company said in a statement.",
    "Follow the money, the investigators said.",
    "Police arrested a man, 34, at the scene.",
    "Photographs of the scene, taken by a neighbour, were shared on social media.",
    "Facebook and Twitter",
    "Facebook, Twitter face new rules in Europe",
])
def test_sentences_that_resemble_furniture_stay(line):
    assert _kept(line) == [ABOVE, line, BELOW]


def test_bbcs_image_labels_and_the_caption_they_carry_go():
    # bbc.com's visible text: "Image copyright" / agency / "Image caption" / the caption, between paragraphs
    lines = [ABOVE, "Image copyright", "Getty Images", "Image caption",
             "Taylor Swift's seventh album, Lover, is the only one she owns the rights to", BELOW]
    assert Rules.load().clean_lines(lines)[0] == [ABOVE, BELOW]


def test_a_follow_us_box_goes_with_its_networks():
    lines = [ABOVE, BELOW, "Follow Us", "twitter", "instagram", "facebook"]
    assert Rules.load().clean_lines(lines)[0] == [ABOVE, BELOW]


def test_a_usa_today_byline_block_does_not_stay_in_the_article():
    # the USA TODAY network's layout: names, the agency, then the article; the footer's legal links
    text = "\n".join([
        "Teachers rally at the Statehouse",
        "Tom Davies", "Associated Press",
        "Indianapolis - Thousands of teachers rallied at the Indiana Statehouse on Tuesday, calling for higher pay "
        "and less emphasis on standardized tests.",
        "The union said more than 15,000 teachers had registered for the rally, and dozens of districts closed.",
        "Terms of Service", "Privacy Notice"])
    art = clean(RawArticle(id="usat", source="scraper", text=text))
    assert "Associated Press" not in art.text and "Terms of Service" not in art.text
    assert "Privacy Notice" not in art.text
    assert "Thousands of teachers rallied" in art.text and "dozens of districts closed." in art.text
