<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>AutogradGraphView</name>
    <message>
        <source>Press 3 (loss) to record the graph autograd builds for backward.</source>
        <translation>Nhấn 3 (loss) để ghi lại đồ thị tính toán mà autograd dựng cho backward.</translation>
    </message>
    <message>
        <source>%1: .grad of %2</source>
        <translation>%1: .grad của %2</translation>
    </message>
</context>
<context>
    <name>DigitReadout</name>
    <message>
        <source>no digit</source>
        <translation>không có chữ số</translation>
    </message>
    <message>
        <source>unsure · %1</source>
        <translation>chưa chắc · %1</translation>
    </message>
    <message>
        <source>%1 confident</source>
        <translation>chắc chắn %1</translation>
    </message>
</context>
<context>
    <name>InspectorPanel</name>
    <message>
        <source>5  update</source>
        <translation>5  cập nhật</translation>
    </message>
    <message>
        <source>the forward pass</source>
        <translation>bước forward</translation>
    </message>
    <message>
        <source>the loss</source>
        <translation>hàm mất mát (loss)</translation>
    </message>
    <message>
        <source>the update</source>
        <translation>bước cập nhật trọng số</translation>
    </message>
    <message>
        <source># the 32x32 drawing as a (1, 1, 32, 32) batch</source>
        <translation># hình vẽ 32x32 dưới dạng một batch (1, 1, 32, 32)</translation>
    </message>
    <message>
        <source># digit %1, one-hot</source>
        <translation># chữ số %1, dạng one-hot</translation>
    </message>
    <message>
        <source>P(digit %1): %2 -&gt; %3</source>
        <translation>P(chữ số %1): %2 -&gt; %3</translation>
    </message>
    <message>
        <source>Target digit</source>
        <translation>Chữ số đích</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Hàm mất mát</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Tỷ lệ học</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Cập nhật</translation>
    </message>
    <message>
        <source>Parameter shown</source>
        <translation>Tham số hiển thị</translation>
    </message>
    <message>
        <source>The digit the step teaches the network: the loss&apos;s target</source>
        <translation>Chữ số mà bước này dạy cho mạng: target của hàm mất mát</translation>
    </message>
    <message>
        <source>The parameter whose gradient and before/after values are shown</source>
        <translation>Tham số được hiển thị gradient và giá trị trước/sau khi cập nhật</translation>
    </message>
    <message>
        <source>Run %1 on the scratch copy</source>
        <translation>Chạy %1 trên bản sao nháp</translation>
    </message>
    <message>
        <source>Run all five</source>
        <translation>Chạy cả năm bước</translation>
    </message>
    <message>
        <source>zero_grad, forward, loss, backward and update in one go</source>
        <translation>zero_grad, forward, loss, backward và cập nhật trong một lần</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Đặt lại</translation>
    </message>
    <message>
        <source>Throw the scratch copy away and start again from the active model</source>
        <translation>Bỏ bản sao nháp và bắt đầu lại từ mô hình đang dùng</translation>
    </message>
    <message>
        <source>Keep as active model</source>
        <translation>Giữ làm mô hình đang dùng</translation>
    </message>
    <message>
        <source>Make the scratch weights the model that predicts your drawings</source>
        <translation>Dùng trọng số của bản sao nháp làm mô hình nhận dạng hình vẽ của bạn</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Mô hình</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>Đồ thị</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>Gradient</translation>
    </message>
    <message>
        <source>name</source>
        <translation>tên</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>kích thước</translation>
    </message>
    <message>
        <source>count</source>
        <translation>số phần tử</translation>
    </message>
    <message>
        <source>index</source>
        <translation>chỉ số</translation>
    </message>
    <message>
        <source>before</source>
        <translation>trước</translation>
    </message>
    <message>
        <source>gradient</source>
        <translation>gradient</translation>
    </message>
    <message>
        <source>after</source>
        <translation>sau</translation>
    </message>
    <message>
        <source>change</source>
        <translation>thay đổi</translation>
    </message>
    <message>
        <source>digit</source>
        <translation>chữ số</translation>
    </message>
    <message>
        <source>As an image: one 5×5 square per kernel, a row per output map · red positive, blue negative</source>
        <translation>Dưới dạng ảnh: mỗi kernel một ô 5×5, mỗi feature map đầu ra một hàng · đỏ dương, xanh âm</translation>
    </message>
    <message>
        <source>&lt;b&gt;Probabilities for the drawing&lt;/b&gt;</source>
        <translation>&lt;b&gt;Xác suất cho hình vẽ&lt;/b&gt;</translation>
    </message>
    <message>
        <source>The target or loss changed: the step starts again at zero_grad().</source>
        <translation>Chữ số đích hoặc hàm mất mát đã thay đổi: bước huấn luyện bắt đầu lại từ zero_grad().</translation>
    </message>
    <message>
        <source>A fresh scratch copy of &lt;b&gt;%1&lt;/b&gt;.</source>
        <translation>Một bản sao nháp mới của &lt;b&gt;%1&lt;/b&gt;.</translation>
    </message>
    <message numerus="yes">
        <source>%n tensors, %1 numbers in all</source>
        <translation>
            <numerusform>%n tensor, tổng cộng %1 số</numerusform>
        </translation>
    </message>
    <message>
        <source>The drawing changed: the step starts again at zero_grad().</source>
        <translation>Hình vẽ đã thay đổi: bước huấn luyện bắt đầu lại từ zero_grad().</translation>
    </message>
    <message>
        <source>Every &lt;code&gt;.grad&lt;/code&gt; is cleared: &lt;code&gt;%1.grad&lt;/code&gt; is &lt;b&gt;None&lt;/b&gt;.</source>
        <translation>Mọi &lt;code&gt;.grad&lt;/code&gt; đã được xóa: &lt;code&gt;%1.grad&lt;/code&gt; là &lt;b&gt;None&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>The output carries &lt;code&gt;grad_fn&lt;/code&gt;; P(digit %1) = &lt;b&gt;%2&lt;/b&gt;.</source>
        <translation>Output mang theo &lt;code&gt;grad_fn&lt;/code&gt;; P(chữ số %1) = &lt;b&gt;%2&lt;/b&gt;.</translation>
    </message>
    <message numerus="yes">
        <source>loss = &lt;b&gt;%1&lt;/b&gt;; autograd recorded %n nodes for backward.</source>
        <translation>
            <numerusform>loss = &lt;b&gt;%1&lt;/b&gt;; autograd đã ghi lại %n nút cho backward.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n gradients filled; &lt;code&gt;%1.grad&lt;/code&gt; = %2</source>
        <translation>
            <numerusform>Đã tính %n gradient; &lt;code&gt;%1.grad&lt;/code&gt; = %2</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; is now the active model; this is a fresh scratch copy of it.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; giờ là mô hình đang dùng; đây là một bản sao nháp mới của nó.</translation>
    </message>
    <message numerus="yes">
        <source>Scratch copy of &lt;b&gt;%1&lt;/b&gt; · %n updates taken</source>
        <translation>
            <numerusform>Bản sao nháp của &lt;b&gt;%1&lt;/b&gt; · đã cập nhật %n lần</numerusform>
        </translation>
    </message>
    <message>
        <source>active model unchanged until you keep the result</source>
        <translation>mô hình đang dùng giữ nguyên cho đến khi bạn giữ kết quả</translation>
    </message>
    <message>
        <source>active model unchanged</source>
        <translation>mô hình đang dùng giữ nguyên</translation>
    </message>
    <message>
        <source>next: %1</source>
        <translation>tiếp theo: %1</translation>
    </message>
    <message>
        <source>draw a digit to inspect a training step on it</source>
        <translation>hãy vẽ một chữ số để xem từng giai đoạn của một bước huấn luyện trên nó</translation>
    </message>
    <message numerus="yes">
        <source>%n nodes</source>
        <translation>
            <numerusform>%n nút</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n edges</source>
        <translation>
            <numerusform>%n cạnh</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, %2, read from loss.grad_fn and next_functions</source>
        <translation>%1, %2, đọc từ loss.grad_fn và next_functions</translation>
    </message>
    <message>
        <source>Press 5 (update) after backward() to apply the gradients.</source>
        <translation>Nhấn 5 (cập nhật) sau backward() để áp dụng các gradient.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;, its first %2 of %3 values</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;, %2 giá trị đầu tiên trong %3 giá trị</translation>
    </message>
    <message>
        <source>The step diverged: weights or probabilities are no longer numbers. Reset and use a smaller learning rate.</source>
        <translation>Bước huấn luyện đã phân kỳ: trọng số hoặc xác suất không còn là số. Hãy đặt lại và dùng tỷ lệ học nhỏ hơn.</translation>
    </message>
    <message>
        <source>P(digit %1): %2 → &lt;b style=&apos;color:%3&apos;&gt;%4&lt;/b&gt; (%5) · now predicts %6 · largest weight change %7</source>
        <translation>P(chữ số %1): %2 → &lt;b style=&apos;color:%3&apos;&gt;%4&lt;/b&gt; (%5) · giờ dự đoán %6 · thay đổi trọng số lớn nhất %7</translation>
    </message>
</context>
<context>
    <name>KernelsPanel</name>
    <message>
        <source>conv1 kernels</source>
        <translation>Kernel của conv1</translation>
    </message>
    <message>
        <source>6 × 1×5×5 · red positive, blue negative</source>
        <translation>6 × 1×5×5 · đỏ dương, xanh âm</translation>
    </message>
    <message>
        <source>conv2 kernels</source>
        <translation>Kernel của conv2</translation>
    </message>
    <message>
        <source>16 × 6×5×5 · one row per output map, one column per input map</source>
        <translation>16 × 6×5×5 · mỗi feature map đầu ra một hàng, mỗi feature map đầu vào một cột</translation>
    </message>
    <message>
        <source>conv1 kernel %1 of 6</source>
        <translation>Kernel %1/6 của conv1</translation>
    </message>
    <message>
        <source>conv2 kernel: output map %1, input map %2</source>
        <translation>Kernel của conv2: feature map đầu ra %1, feature map đầu vào %2</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Cross-entropy (nn.CrossEntropyLoss)</source>
        <translation>Entropy chéo (nn.CrossEntropyLoss)</translation>
    </message>
    <message>
        <source>nn.MSELoss on a one-hot target, as the seed</source>
        <translation>nn.MSELoss với target one-hot, như bài hướng dẫn</translation>
    </message>
    <message>
        <source>By hand: f.data.sub_(f.grad.data * learning_rate)</source>
        <translation>Thủ công: f.data.sub_(f.grad.data * learning_rate)</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>Cannot change the language</source>
        <translation>Không thể đổi ngôn ngữ</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>&amp;System default</source>
        <translation>Theo &amp;hệ thống</translation>
    </message>
</context>
<context>
    <name>LayersPanel</name>
    <message>
        <source>C1 · conv1 5×5 + ReLU</source>
        <translation>C1 · Lớp tích chập conv1 5×5 + ReLU</translation>
    </message>
    <message>
        <source>S2 · 2×2 max-pool</source>
        <translation>S2 · Lớp gộp max-pool 2×2</translation>
    </message>
    <message>
        <source>C3 · conv2 5×5 + ReLU</source>
        <translation>C3 · Lớp tích chập conv2 5×5 + ReLU</translation>
    </message>
    <message>
        <source>S4 · 2×2 max-pool</source>
        <translation>S4 · Lớp gộp max-pool 2×2</translation>
    </message>
    <message>
        <source>F5 · fc1 + ReLU</source>
        <translation>F5 · Lớp kết nối đầy đủ fc1 + ReLU</translation>
    </message>
    <message>
        <source>F6 · fc2 + ReLU</source>
        <translation>F6 · Lớp kết nối đầy đủ fc2 + ReLU</translation>
    </message>
    <message>
        <source>Output · fc3 logits</source>
        <translation>Lớp output đầu ra · logits của fc3</translation>
    </message>
    <message>
        <source>%1 · map %2 of %3</source>
        <translation>%1 · feature map %2/%3</translation>
    </message>
</context>
<context>
    <name>MapDialog</name>
    <message>
        <source>%1 · values from %2 to %3</source>
        <translation>%1 · giá trị từ %2 đến %3</translation>
    </message>
</context>
<context>
    <name>MapGrid</name>
    <message>
        <source>draw a digit</source>
        <translation>hãy vẽ một chữ số</translation>
    </message>
</context>
<context>
    <name>ModelHistoryPanel</name>
    <message>
        <source>Make active</source>
        <translation>Dùng mô hình này</translation>
    </message>
    <message>
        <source>Predict with the chosen kept model from now on</source>
        <translation>Từ giờ dự đoán bằng mô hình đã chọn</translation>
    </message>
    <message>
        <source>Models you kept after training, oldest first:</source>
        <translation>Các mô hình bạn đã giữ sau khi huấn luyện, cũ nhất trước:</translation>
    </message>
    <message>
        <source>%1 · %2 · MNIST test accuracy not measured · version %4</source>
        <translation>%1 · %2 · chưa đo độ chính xác trên tập test MNIST · phiên bản %4</translation>
    </message>
    <message>
        <source>%1 · %2 · MNIST test %3 · version %4</source>
        <translation>%1 · %2 · tập test MNIST %3 · phiên bản %4</translation>
    </message>
    <message>
        <source>Cannot use it: %1</source>
        <translation>Không dùng được mô hình này: %1</translation>
    </message>
    <message>
        <source>Now predicting with %1.</source>
        <translation>Đang dự đoán bằng %1.</translation>
    </message>
</context>
<context>
    <name>Numbers</name>
    <message>
        <source>%1%</source>
        <translation>%1&#xa0;%</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Bỏ</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Có</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Không</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Đặt lại</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Trợ giúp</translation>
    </message>
</context>
<context>
    <name>ViewMenu</name>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
</context>
</TS>
