import PatronCore
import Testing

@Suite struct HTMLTextTests {
    @Test("the five characters become entities; other text, Chinese included, is unchanged")
    func escapesTheFiveCharacters() {
        #expect(HTMLText.escape(#"<script>alert("x") & 'y'</script>"#) == "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;")
        #expect(HTMLText.escape("会员 Ann Lee · 1,500 pts") == "会员 Ann Lee · 1,500 pts")
        #expect(HTMLText.escape("") == "")
        #expect(HTMLText.escape("金&银") == "金&amp;银")
    }
}
